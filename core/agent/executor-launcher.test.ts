import { describe, expect, it } from 'vitest';
import { commandArgv, inheritableEnv, taskEnv } from './executor-launcher.ts';

describe('inheritableEnv', () => {
  it('keeps ordinary variables and drops secrets', () => {
    const env = inheritableEnv({ PATH: '/bin', HOME: '/h', ORRERY_SECRET: 's', ORRERY_SECRET_KEY: 'k', REDIS_URL: 'r', ORRERY_MASTER: 'm', UNSET: undefined });
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', ORRERY_MASTER: 'm' });
  });
});

describe('taskEnv', () => {
  it('layers inherited, task, isolator and sandbox variables, the sandbox ones last', () => {
    const env = taskEnv(
      { PATH: '/bin', FOO: 'agent' },
      { shell: true, value: 'x', env: { FOO: 'task', ORRERY_TASK_ID: 'spoof' } },
      { wrapperArgs: [], env: { ISO: '1' } },
      { frameworkId: 'f', taskId: 't', sandbox: '/s' },
    );
    expect(env).toEqual({ PATH: '/bin', FOO: 'task', ISO: '1', MESOS_SANDBOX: '/s', ORRERY_SANDBOX: '/s', ORRERY_TASK_ID: 't', ORRERY_FRAMEWORK_ID: 'f' });
  });
});

describe('commandArgv', () => {
  it('runs shell commands through /bin/sh -c and argv commands as given', () => {
    expect(commandArgv({ shell: true, value: 'echo hi' })).toEqual({ ok: true, value: ['/bin/sh', '-c', 'echo hi'] });
    expect(commandArgv({ shell: false, arguments: ['/bin/echo', 'a b'] })).toEqual({ ok: true, value: ['/bin/echo', 'a b'] });
  });

  it('rejects empty commands', () => {
    expect(commandArgv({ shell: true, value: ' ' }).ok).toBe(false);
    expect(commandArgv({ shell: false }).ok).toBe(false);
    expect(commandArgv({ shell: false, arguments: [''] }).ok).toBe(false);
  });
});
