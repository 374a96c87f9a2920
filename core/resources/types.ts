/**
 * The resource model shared by agents, the allocator, the master and frameworks.
 *
 * - scalars: `cpus`, `mem` (MB), `disk` (MB), `gpus` and any custom name (`cassandra-slot`); kept to 3 decimals as Mesos does.
 * - ranges: inclusive integer ranges, e.g. `ports: [[31000, 32000]]`; always sorted, merged, non-overlapping.
 * - sets: sorted unique strings, e.g. `disks: ['ssd1', 'ssd2']`.
 * All resources are unreserved (Mesos role `*`).
 */
export type Range = readonly [begin: number, end: number];

export interface Resources {
  scalars: Record<string, number>;
  ranges: Record<string, Range[]>;
  sets: Record<string, string[]>;
}

/** Agent attributes such as `rack:a;os:linux`, used by constraints. Values are kept as text. */
export type Attributes = Record<string, string>;
