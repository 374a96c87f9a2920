import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger.ts';
import { isValidCollection, registryKeys, type RegistryKeys } from './keys.ts';
import { coordinationScripts, type CoordinationScripts } from './scripts.ts';
import { FencedError, fencedReply } from './fenced-error.ts';

export { FencedError };

export interface RegistryStoreOptions {
  /** Operations per script call; a batch reaching it is sealed and a new one started. Default 1000. */
  maxBatchOps?: number;
  /** Script calls in flight at once; while all are busy, new writes coalesce into the next batch. Default 4. */
  maxInFlight?: number;
}

/** JSON text to HSET (as bytes, see `put`), or null to HDEL. */
type OpValue = Buffer | null;

interface Batch {
  epoch: number;
  /** hash key → field → value; a field occurs once per batch, its latest write wins. */
  ops: Map<string, Map<string, OpValue>>;
  size: number;
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

const SCAN_PAGE = 1000;

/**
 * The master's durable state (and later jobs'/apps'): JSON values in Redis hashes, one hash per
 * collection, every write fenced by the epoch of the leader lease.
 *
 * Ordering and coalescing: writes issued while the previous batches are being sent (at least until
 * the next macrotask) go to Redis in ONE `writeFenced` call; a later write of the same
 * (collection, id) in the same batch replaces the earlier one. Batches are sent in issue order on
 * one connection, so Redis applies them in issue order. Each returned promise settles when its batch
 * does; a fenced batch rejects all its promises with `FencedError` (and is logged at warn, so a
 * caller that does not await a write still sees the failure in the logs).
 *
 * Reads (`get`, `getAll`) first wait for every write issued before them to settle: read-your-writes.
 */
export class RedisRegistryStore {
  private readonly keys: RegistryKeys;
  private readonly scripts: CoordinationScripts;
  private readonly log: Logger;
  private readonly maxBatchOps: number;
  private readonly maxInFlight: number;
  private epoch = 0;
  private current: Batch | null = null;
  private readonly ready: Batch[] = [];
  private readonly sending = new Set<Batch>();
  private scheduled = false;
  private fencedLoggedFor = 0;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    logger: Logger,
    opts: RegistryStoreOptions = {},
  ) {
    this.keys = registryKeys(prefix);
    this.scripts = coordinationScripts(redis);
    this.log = logger.child({ component: 'registry-store' });
    this.maxBatchOps = Math.max(1, opts.maxBatchOps ?? 1000);
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 4);
  }

  /**
   * The fencing epoch this writer holds (from the leader lease). Writes issued after this call are
   * checked against it; writes issued before keep the epoch they were issued under.
   */
  setEpoch(epoch: number): void {
    if (!Number.isSafeInteger(epoch) || epoch < 1) throw new Error(`invalid fencing epoch ${epoch}`);
    if (this.current && this.current.epoch !== epoch) this.seal();
    this.epoch = epoch;
  }

  put(collection: string, id: string, value: unknown): Promise<void> {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (error) {
      return Promise.reject(new TypeError(`value of ${collection}/${id} is not JSON-serialisable`, { cause: error }));
    }
    if (json === undefined) return Promise.reject(new TypeError(`value of ${collection}/${id} is not JSON-serialisable`));
    // Bytes, not the string: the text dies young instead of waiting in the batch, and ioredis sends a command
    // with Buffer arguments as one Buffer outside the JS heap, where with strings it concatenates the whole
    // batch (hundreds of KB per script call) into heap strings that only a full GC frees.
    return this.enqueue(collection, id, Buffer.from(json));
  }

  delete(collection: string, id: string): Promise<void> {
    return this.enqueue(collection, id, null);
  }

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    const key = this.keyOf(collection);
    await this.settled();
    const raw = await this.redis.hget(key, id);
    return raw === null ? undefined : parse<T>(raw, collection, id);
  }

  /** All values of a collection, read with HSCAN pages (the hash may be large). Not a snapshot under concurrent writers. */
  async getAll<T>(collection: string): Promise<Map<string, T>> {
    const key = this.keyOf(collection);
    await this.settled();
    const out = new Map<string, T>();
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(key, cursor, 'COUNT', SCAN_PAGE);
      for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i], parse<T>(flat[i + 1], collection, flat[i]));
      cursor = next;
    } while (cursor !== '0');
    return out;
  }

  /** Resolves when every write issued so far is in Redis; rejects with the first failure among them. */
  async flush(): Promise<void> {
    await Promise.all(this.pending().map((b) => b.promise));
  }

  private pending(): Batch[] {
    return [...this.sending, ...this.ready, ...(this.current ? [this.current] : [])];
  }

  private async settled(): Promise<void> {
    await Promise.allSettled(this.pending().map((b) => b.promise));
  }

  private keyOf(collection: string): string {
    if (!isValidCollection(collection)) throw new Error(`invalid collection name ${JSON.stringify(collection)}`);
    return this.keys.collectionKey(collection);
  }

  private enqueue(collection: string, id: string, value: OpValue): Promise<void> {
    if (!isValidCollection(collection)) return Promise.reject(new Error(`invalid collection name ${JSON.stringify(collection)}`));
    if (id.length === 0) return Promise.reject(new Error(`empty id in collection ${collection}`));
    if (this.epoch < 1) {
      return Promise.reject(new Error('registry store has no epoch: call setEpoch() with the epoch won by the leader lease'));
    }
    const batch = this.current ?? (this.current = newBatch(this.epoch));
    const key = this.keys.collectionKey(collection);
    let fields = batch.ops.get(key);
    if (!fields) batch.ops.set(key, (fields = new Map()));
    const before = fields.size;
    fields.set(id, value);
    batch.size += fields.size - before;
    if (batch.size >= this.maxBatchOps) this.seal();
    this.schedule();
    return batch.promise;
  }

  private seal(): void {
    if (this.current) this.ready.push(this.current);
    this.current = null;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  /** Sends batches while there is room in flight; the open batch keeps coalescing otherwise. */
  private pump(): void {
    while (this.sending.size < this.maxInFlight) {
      if (this.ready.length === 0) this.seal();
      const batch = this.ready.shift();
      if (!batch) return;
      this.send(batch);
    }
  }

  private send(batch: Batch): void {
    this.sending.add(batch);
    // Each (hash, field) occurs once per batch, so ops may be regrouped freely: by hash, sets then
    // deletes, which lets the script send long HSET/HDEL runs.
    const keys = [this.keys.epoch];
    const args: Array<string | Buffer> = [String(batch.epoch)];
    for (const [key, fields] of batch.ops) {
      keys.push(key);
      const index = String(keys.length); // Lua KEYS are 1-based; KEYS[1] is the epoch
      for (const [field, value] of fields) if (value !== null) args.push('S', index, field, value);
      for (const [field, value] of fields) if (value === null) args.push('D', index, field, '');
    }
    // ioredis sends Buffer arguments as they are; CoordinationScripts types them as strings only.
    this.scripts.writeFenced(keys, args as string[]).then(
      () => this.settle(batch, undefined),
      (error: unknown) => this.settle(batch, this.toStoreError(error, batch)),
    );
  }

  private settle(batch: Batch, error: unknown): void {
    this.sending.delete(batch);
    if (error === undefined) batch.resolve();
    else batch.reject(error);
    this.pump();
  }

  private toStoreError(error: unknown, batch: Batch): unknown {
    const fenced = fencedReply(error);
    if (!fenced) {
      this.log.warn({ err: error, epoch: batch.epoch, ops: batch.size }, 'registry write failed');
      return error;
    }
    if (this.fencedLoggedFor !== batch.epoch) {
      this.fencedLoggedFor = batch.epoch;
      this.log.warn({ writerEpoch: fenced.writerEpoch, currentEpoch: fenced.currentEpoch }, 'registry write fenced');
    }
    return fenced;
  }
}

function newBatch(epoch: number): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // The failure is logged in toStoreError and delivered to every caller that awaits; this handler only
  // keeps a fire-and-forget write from turning a deposed leader's fenced batch into a process crash.
  promise.catch(() => undefined);
  return { epoch, ops: new Map(), size: 0, promise, resolve, reject };
}

function parse<T>(raw: string, collection: string, id: string): T {
  try {
    return JSON.parse(raw) as T;
  } catch (error) {
    throw new Error(`corrupt JSON in registry ${collection}/${id}`, { cause: error });
  }
}
