/**
 * Unpacks archives with the system's tools: GNU/BSD `tar` (it detects gzip, bzip2 and xz itself) and `unzip`.
 * Members are written as the agent's user (`--no-same-owner`); both tools refuse members that climb out of the
 * target directory (`../`, absolute paths).
 */
import { spawn } from 'node:child_process';
import type { ArchiveKind } from './fetch-plan.ts';

const MAX_STDERR = 2000;

function argv(kind: ArchiveKind, file: string, dir: string): [string, string[]] {
  return kind === 'tar' ? ['tar', ['-xf', file, '-C', dir, '--no-same-owner']] : ['unzip', ['-q', '-o', file, '-d', dir]];
}

/** Resolves with undefined on success, else with why (the tool's exit status and its stderr). */
export function extractArchive(kind: ArchiveKind, file: string, dir: string): Promise<string | undefined> {
  const [program, args] = argv(kind, file, dir);
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (stderr.length < MAX_STDERR) stderr += d;
    });
    child.once('error', (e) => resolve(`${program} could not run: ${e.message}`));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve(undefined);
      const why = stderr.trim().slice(0, MAX_STDERR) || (signal ? `killed by ${signal}` : `exit code ${code}`);
      resolve(`${program} failed to extract: ${why}`);
    });
  });
}
