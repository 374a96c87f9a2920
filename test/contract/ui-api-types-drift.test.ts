import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UI_API_TYPES_PATH } from '../../services/server/spec-paths.ts';
import { generateUiApiTypes } from '../../services/server/ui-api-types.ts';

/** The first differing line, so the failure says where the drift is. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `line ${at + 1}: committed ${JSON.stringify(a[at])}, generated ${JSON.stringify(b[at])}`;
}

describe('ui/src/api/schema.ts is what openapi-typescript generates from api-spec/openapi.yaml', () => {
  // The timeout: openapi-typescript validates and bundles the whole spec first, seconds on a busy machine.
  it('is up to date (otherwise: run npm run spec:ui and commit ui/src/api/schema.ts)', async () => {
    const generated = await generateUiApiTypes();
    const committed = readFileSync(UI_API_TYPES_PATH, 'utf8');
    if (committed !== generated) {
      expect.fail(`ui/src/api/schema.ts differs from api-spec/openapi.yaml (${firstDifference(committed, generated)}): run npm run spec:ui`);
    }
  }, 30_000);
});
