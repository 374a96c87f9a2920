/**
 * `npm run bench`: runs every benchmark, each in its own process (so one's memory and JIT state do not colour
 * another's figures), one after the other, and prints their tables. `npm run bench -- allocator dag` runs a subset.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const BENCHES = ['allocator', 'master-path', 'scheduler-http', 'master-memory', 'launch', 'agent-launch', 'agent-http', 'isolation', 'dag', 'apps', 'jobs', 'failover', 'chaos'];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHES.includes(w));
if (unknown.length) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : BENCHES) {
  process.stdout.write(`\n## ${name}\n`);
  const r = spawnSync(process.execPath, [path.join(root, 'bin/run-ts.js'), path.join(root, 'bench', `${name}.ts`)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`benchmark ${name} exited with ${r.status ?? r.signal}\n`);
  }
}
process.exit(failed ? 1 : 0);
