import { statfsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { Resources } from '../resources/types.ts';
import { isErrno } from './proc-stat.ts';

const MB = 1024 * 1024;

/**
 * Mesos' autodetect: cpus = cores; mem = total − 1 GB if total ≥ 2 GB else 50 %; disk = free space of workDir's fs
 * − 5 GB if ≥ 10 GB else 50 %; ports [31000-32000]. MB units. Synchronous: it runs once at agent start-up.
 * The work dir may not exist yet: its nearest existing ancestor names the filesystem.
 */
export function detectHostResources(workDir: string): Resources {
  const memMb = Math.floor(totalmem() / MB);
  const diskMb = Math.floor(freeBytes(workDir) / MB);
  return {
    scalars: {
      cpus: cpus().length,
      mem: memMb >= 2048 ? memMb - 1024 : Math.floor(memMb / 2),
      disk: diskMb >= 10240 ? diskMb - 5120 : Math.floor(diskMb / 2),
    },
    ranges: { ports: [[31000, 32000]] },
    sets: {},
  };
}

function freeBytes(path: string): number {
  for (let p = path; ; p = dirname(p)) {
    try {
      const st = statfsSync(p);
      return st.bavail * st.bsize;
    } catch (e) {
      if (!isErrno(e, 'ENOENT') || dirname(p) === p) throw e;
    }
  }
}
