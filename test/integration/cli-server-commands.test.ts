/**
 * `orrery master` and `orrery agent` refuse to start without what they need, with exit code 2 and a message
 * saying how to give it; a secret on the command line is refused outright (it would show in `ps`).
 */
import { describe, expect, it } from 'vitest';
import { spawnOrrery } from '../helpers/processes.ts';

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; output: string }> {
  const p = spawnOrrery(args, env);
  const code = await p.exited;
  return { code, output: p.output() };
}

describe('orrery master / orrery agent (usage)', () => {
  it('lists both commands in the help, with their options', { timeout: 30_000 }, async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.output).toMatch(/master .*control plane/);
    expect(help.output).toMatch(/agent .*agent for this host/);
    const agentHelp = await run(['agent', '--help']);
    expect(agentHelp.code).toBe(0);
    expect(agentHelp.output).toContain('--cluster-secret-file FILE');
    expect(agentHelp.output).toContain('--advertise-host');
  });

  it('refuses a secret on the command line, a missing secret and a missing master URL', { timeout: 30_000 }, async () => {
    const [onCommandLine, noSecret, noMaster, missingFile, masterNoSecret] = await Promise.all([
      run(['agent', '--master', 'http://127.0.0.1:9', '--cluster-secret', 'hunter2']),
      run(['agent', '--master', 'http://127.0.0.1:9'], { ORRERY_CLUSTER_SECRET: undefined }),
      run(['agent'], { ORRERY_CLUSTER_SECRET: 's' }),
      run(['agent', '--master', 'http://127.0.0.1:9', '--cluster-secret-file', '/nonexistent/secret']),
      run(['master', '--port', '0'], { ORRERY_CLUSTER_SECRET: undefined }),
    ]);
    expect(onCommandLine.code).toBe(2);
    expect(onCommandLine.output).toContain('secrets are not taken from the command line');
    expect(noSecret.code).toBe(2);
    expect(noSecret.output).toContain('ORRERY_CLUSTER_SECRET');
    expect(noMaster.code).toBe(2);
    expect(noMaster.output).toContain('--master URL is required');
    expect(missingFile.code).toBe(2);
    expect(missingFile.output).toContain('cannot read /nonexistent/secret');
    expect(masterNoSecret.code).toBe(2);
    expect(masterNoSecret.output).toContain('--with-agent');
  });
});
