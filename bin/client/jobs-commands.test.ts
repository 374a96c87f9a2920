import { describe, expect, it } from 'vitest';
import { ApiProblem } from './api-client.ts';
import { withForceFlag } from './jobs-commands.ts';

describe('withForceFlag', () => {
  const refusal = (detail: string, children?: string) =>
    new ApiProblem(409, 'ORR_ERR_JOB_HAS_CHILDREN', 'Other jobs depend on this job', detail, children === undefined ? [] : [{ field: 'params.name', message: `children: ${children}` }]);

  it('names the CLI flag, not the API parameter, in the singular for one child', () => {
    const msg = withForceFlag(refusal('job load depends on extract; delete it first, or use force=true to detach it', 'load'), 'extract');
    expect(msg).toBe('Other jobs depend on this job (HTTP 409, ORR_ERR_JOB_HAS_CHILDREN): job load depends on extract; delete it first, or detach it with: orrery jobs rm extract --force');
    expect(msg).not.toContain('force=true');
  });

  it('lists several children in the plural', () => {
    const msg = withForceFlag(refusal('jobs a, b depend on p; delete them first, or use force=true to detach them', 'a, b'), 'p');
    expect(msg).toContain(': jobs a, b depend on p; delete them first, or detach them with: orrery jobs rm p --force');
  });

  it('without the children field, still swaps force=true for --force', () => {
    expect(withForceFlag(refusal('jobs a depend on p; use force=true'), 'p')).toBe('Other jobs depend on this job (HTTP 409, ORR_ERR_JOB_HAS_CHILDREN): jobs a depend on p; use --force');
  });
});
