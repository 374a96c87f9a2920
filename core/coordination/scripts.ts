import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';

/**
 * The Lua scripts of `lua/`, registered on an ioredis client with `defineCommand` (EVALSHA, falling
 * back to EVAL on NOSCRIPT) and wrapped with types. File names are `<verbNoun>-<numKeys>.lua`;
 * `-N` means a variable number of keys, passed per call.
 */
export interface CoordinationScripts {
  /** > 0: won, the new epoch; 0: held by another owner. */
  acquireLease(leaderKey: string, epochKey: string, owner: string, ttlMs: number): Promise<number>;
  /** 1: extended; 0: lost. */
  renewLease(leaderKey: string, owner: string, ttlMs: number): Promise<number>;
  /** 1: released; 0: was not ours. */
  releaseLease(leaderKey: string, owner: string): Promise<number>;
  /**
   * `keys[0]` is the epoch key, the rest the hashes written; `args[0]` the writer's epoch, then
   * 4 entries per operation. Rejects with a ReplyError starting `FENCED` when the epoch differs.
   */
  writeFenced(keys: string[], args: string[]): Promise<number>;
  /** XADD (MAXLEN ~ `maxLen`) of one event if `epoch` is current; the entry id. Rejects with `FENCED …` otherwise. */
  appendFenced(epochKey: string, streamKey: string, epoch: number, maxLen: number, type: string, data: string): Promise<string>;
}

interface LoadedScript {
  command: string;
  lua: string;
  numberOfKeys?: number;
}

const LUA_DIR = path.join(import.meta.dirname, 'lua');
const FILE_RE = /^([a-z][A-Za-z]*)-(\d+|N)\.lua$/;

function loadScripts(): Map<string, LoadedScript> {
  const out = new Map<string, LoadedScript>();
  for (const file of readdirSync(LUA_DIR)) {
    const m = FILE_RE.exec(file);
    if (!m) continue;
    const [, verbNoun, keys] = m;
    out.set(verbNoun, {
      // Prefixed so our names cannot clash with commands other libraries define on a shared client.
      command: `orrery${verbNoun[0].toUpperCase()}${verbNoun.slice(1)}`,
      lua: readFileSync(path.join(LUA_DIR, file), 'utf8'),
      numberOfKeys: keys === 'N' ? undefined : Number(keys),
    });
  }
  return out;
}

const SCRIPTS = loadScripts();
const defined = new WeakSet<Redis>();

type ScriptFn = (...args: Array<string | number>) => Promise<unknown>;

function command(redis: Redis, verbNoun: string): ScriptFn {
  const script = SCRIPTS.get(verbNoun);
  if (!script) throw new Error(`lua script ${verbNoun} missing from ${LUA_DIR}`);
  const fn = (redis as unknown as Record<string, ScriptFn | undefined>)[script.command];
  if (!fn) throw new Error(`lua script ${verbNoun} not defined on this client`);
  return fn.bind(redis);
}

/** Defines the scripts on `redis` (once per client) and returns typed callers. Cheap to call repeatedly. */
export function coordinationScripts(redis: Redis): CoordinationScripts {
  if (!defined.has(redis)) {
    for (const s of SCRIPTS.values()) {
      redis.defineCommand(s.command, s.numberOfKeys === undefined ? { lua: s.lua } : { lua: s.lua, numberOfKeys: s.numberOfKeys });
    }
    defined.add(redis);
  }
  const acquire = command(redis, 'acquireLease');
  const renew = command(redis, 'renewLease');
  const release = command(redis, 'releaseLease');
  const write = command(redis, 'writeFenced');
  const append = command(redis, 'appendFenced');
  return {
    acquireLease: async (leaderKey, epochKey, owner, ttlMs) => Number(await acquire(leaderKey, epochKey, owner, ttlMs)),
    renewLease: async (leaderKey, owner, ttlMs) => Number(await renew(leaderKey, owner, ttlMs)),
    releaseLease: async (leaderKey, owner) => Number(await release(leaderKey, owner)),
    writeFenced: async (keys, args) => Number(await write(keys.length, ...keys, ...args)),
    appendFenced: async (epochKey, streamKey, epoch, maxLen, type, data) => String(await append(epochKey, streamKey, String(epoch), maxLen, type, data)),
  };
}
