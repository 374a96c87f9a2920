import type { Resources } from '../resources/types.ts';
import { parseResources } from '../resources/resources.ts';

/** Test and bench builder in the spirit of Mesos' `createSlaveInfo("cpus:2;mem:1024")`. Throws on bad text. */
export function res(text: string): Resources {
  const parsed = parseResources(text);
  if (!parsed.ok) throw new Error(`res('${text}'): ${parsed.error.message}`);
  return parsed.value;
}

/** Small seeded PRNG (mulberry32) so shuffles in tests and benches are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
