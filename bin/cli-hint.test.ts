import { describe, expect, it } from 'vitest';
import { cliCommand, thisCliCommand, type CliHintContext } from './cli-hint.ts';

const bin = '/home/ada/orrery/bin/orrery.js';
/** A file system of symlinks (path → target) and files. */
function ctx(over: Partial<CliHintContext> & { links?: Record<string, string> }): CliHintContext {
  const links = over.links ?? {};
  return {
    pathEnv: '/usr/local/bin:/usr/bin',
    cwd: '/home/ada/orrery',
    binPath: bin,
    resolve: (p) => (p === bin ? bin : links[p]),
    ...over,
  };
}

describe('cliCommand', () => {
  it('is `orrery` when this install is on the PATH (npm link / npm install -g make a symlink to it)', () => {
    expect(cliCommand(ctx({ links: { '/usr/local/bin/orrery': bin } }))).toBe('orrery');
  });

  it('is `npx orrery` from inside the package when it is not on the PATH, or another orrery is', () => {
    expect(cliCommand(ctx({}))).toBe('npx orrery');
    expect(cliCommand(ctx({ cwd: '/home/ada/orrery/examples' }))).toBe('npx orrery');
    expect(cliCommand(ctx({ links: { '/usr/bin/orrery': '/opt/other/bin/orrery.js' } }))).toBe('npx orrery');
  });

  it('is `node <bin>` elsewhere', () => {
    expect(cliCommand(ctx({ cwd: '/home/ada' }))).toBe(`node ${bin}`);
    expect(cliCommand(ctx({ cwd: '/home/ada/orrery-notes', pathEnv: undefined }))).toBe(`node ${bin}`);
  });

  it('for this process: npx orrery from this checkout (orrery is not linked on the test machine)', () => {
    const command = thisCliCommand({ PATH: '/nonexistent', INIT_CWD: process.cwd() });
    expect(command).toBe('npx orrery');
  });
});
