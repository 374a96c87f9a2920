import { beforeAll, describe, expect, it } from 'vitest';
import { generateSpec } from '../../services/server/spec-document.ts';

interface Operation {
  operationId?: string;
  summary?: string;
  tags?: string[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** House rules every documented route must follow, so the document stays usable by clients. */
describe('every operation in the generated document', () => {
  let operations: Array<{ name: string; op: Operation }> = [];
  beforeAll(async () => {
    const { document } = await generateSpec();
    const paths = document.paths as Record<string, Record<string, Operation>>;
    operations = Object.entries(paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m] !== undefined).map((m) => ({ name: `${m.toUpperCase()} ${path}`, op: item[m] })),
    );
    expect(operations.length).toBeGreaterThan(0);
  });

  it('has a unique operationId, a summary and a tag', () => {
    const problems = operations.flatMap(({ name, op }) => [
      ...(op.operationId ? [] : [`${name}: no operationId`]),
      ...(op.summary ? [] : [`${name}: no summary`]),
      ...(op.tags && op.tags.length > 0 ? [] : [`${name}: no tags`]),
    ]);
    expect(problems).toEqual([]);
    const ids = operations.map(({ op }) => op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('documents a success response and problem+json error responses', () => {
    const problems = operations.flatMap(({ name, op }) => {
      const codes = Object.keys(op.responses ?? {});
      const out: string[] = [];
      if (!codes.some((c) => c.startsWith('2') || c.startsWith('3'))) out.push(`${name}: no 2xx/3xx response`);
      for (const c of codes.filter((c) => c.startsWith('4') || c.startsWith('5'))) {
        if (!op.responses?.[c].content?.['application/problem+json']) out.push(`${name}: ${c} is not application/problem+json`);
      }
      return out;
    });
    expect(problems).toEqual([]);
  });
});
