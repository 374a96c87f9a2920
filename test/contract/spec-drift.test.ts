import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { ERRORS, errorCatalogue } from '../../services/server/errors.ts';
import { generateSpec, type GeneratedSpec } from '../../services/server/spec-document.ts';
import { ERRORS_MD_PATH, SPEC_YAML_PATH } from '../../services/server/spec-paths.ts';

/** The first differing line, so the failure says where the drift is. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `line ${at + 1}: committed ${JSON.stringify(a[at])}, generated ${JSON.stringify(b[at])}`;
}

type Row = { code: string; status: number; title: string; retryable: boolean };

function errorsMdRows(markdown: string): Row[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('| ORR_ERR_'))
    .map((line) => {
      const [code, status, title, retryable] = line.split('|').slice(1, -1).map((c) => c.trim());
      return { code, status: Number(status), title, retryable: retryable === 'yes' };
    });
}

describe('api-spec/ is what the route schemas and the error registry generate', () => {
  let generated: GeneratedSpec;
  beforeAll(async () => {
    generated = await generateSpec();
  });

  it('openapi.yaml is up to date (otherwise: run npm run spec and commit api-spec/)', () => {
    const committed = readFileSync(SPEC_YAML_PATH, 'utf8');
    if (committed !== generated.yaml) {
      expect.fail(`api-spec/openapi.yaml differs from the route schemas (${firstDifference(committed, generated.yaml)}): run npm run spec`);
    }
  });

  it('errors.md is up to date (otherwise: run npm run spec and commit api-spec/)', () => {
    const committed = readFileSync(ERRORS_MD_PATH, 'utf8');
    if (committed !== generated.errorsMarkdown) {
      expect.fail(`api-spec/errors.md differs from the error registry (${firstDifference(committed, generated.errorsMarkdown)}): run npm run spec`);
    }
  });

  it('the committed spec and errors.md list exactly the error catalogue, including every core error', () => {
    const catalogue: Row[] = errorCatalogue().map(({ code, status, title, retryable }) => ({ code, status, title, retryable }));
    for (const spec of Object.values(ERRORS)) expect(catalogue).toContainEqual({ ...spec });

    const doc = YAML.parse(readFileSync(SPEC_YAML_PATH, 'utf8')) as {
      'x-error-catalogue': Row[];
      components: { schemas: { Problem: { properties: { code: { enum: string[] } } } } };
    };
    expect(doc['x-error-catalogue']).toEqual(catalogue);
    expect(doc.components.schemas.Problem.properties.code.enum).toEqual(catalogue.map((e) => e.code));
    expect(errorsMdRows(readFileSync(ERRORS_MD_PATH, 'utf8'))).toEqual(catalogue);
  });
});
