/**
 * Every Redis key the core uses, in one place (bullmq `queue-keys.ts` style).
 *
 * All keys share ONE hash tag — `{<prefix>}` — so the whole registry maps to a single Redis Cluster
 * slot. That is what lets `writeFenced` check the epoch and write several hashes in one atomic script
 * on Cluster as well as on a single server or Sentinel.
 */
const PREFIX_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const COLLECTION_RE = /^[a-z0-9-]{1,64}$/;

/** Collections of the core that have their own dedicated hash (not under `reg:`). */
const CORE_COLLECTIONS = ['agents', 'frameworks', 'tasks', 'completed-tasks'] as const;
export type CoreCollection = (typeof CORE_COLLECTIONS)[number];

export interface RegistryKeys {
  /** The hash tag itself, e.g. `{orrery}`; every key below starts with it. */
  readonly tag: string;
  /** String: the current leader's owner token (JSON `{ id, address? }`), with a PX lease. */
  readonly leader: string;
  /** String counter: the fencing epoch, INCR'd on every lease win. Never expires, never decreases. */
  readonly epoch: string;
  readonly agents: string;
  readonly frameworks: string;
  readonly tasks: string;
  readonly completedTasks: string;
  /** Stream: the capped event log behind SSE. */
  readonly events: string;
  /** Hash `{tag}:reg:<name>` for other areas (jobs, runs, apps, deployments…). */
  collection(name: string): string;
  /**
   * The hash that stores collection `name`: the dedicated key for a core collection
   * (`agents`, `frameworks`, `tasks`, `completed-tasks`), `collection(name)` otherwise.
   */
  collectionKey(name: string): string;
}

export function isValidPrefix(prefix: string): boolean {
  return PREFIX_RE.test(prefix);
}

export function isValidCollection(name: string): boolean {
  return COLLECTION_RE.test(name);
}

/** Throws on an invalid prefix (1–64 chars of `[A-Za-z0-9_.:-]`): a bad prefix is a configuration bug. */
export function registryKeys(prefix: string): RegistryKeys {
  if (!isValidPrefix(prefix)) {
    throw new Error(`invalid redis key prefix ${JSON.stringify(prefix)}: expected 1-64 chars of [A-Za-z0-9_.:-]`);
  }
  const tag = `{${prefix}}`;
  const collection = (name: string): string => {
    if (!isValidCollection(name)) {
      throw new Error(`invalid collection name ${JSON.stringify(name)}: expected 1-64 chars of [a-z0-9-]`);
    }
    return `${tag}:reg:${name}`;
  };
  const core: Record<CoreCollection, string> = {
    agents: `${tag}:agents`,
    frameworks: `${tag}:frameworks`,
    tasks: `${tag}:tasks`,
    'completed-tasks': `${tag}:completed-tasks`,
  };
  return {
    tag,
    leader: `${tag}:leader`,
    epoch: `${tag}:epoch`,
    agents: core.agents,
    frameworks: core.frameworks,
    tasks: core.tasks,
    completedTasks: core['completed-tasks'],
    events: `${tag}:events`,
    collection,
    collectionKey(name: string): string {
      if ((CORE_COLLECTIONS as readonly string[]).includes(name)) return core[name as CoreCollection];
      return collection(name);
    },
  };
}
