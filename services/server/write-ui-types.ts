/**
 * `npm run spec:ui` (also the last step of `npm run spec`): regenerates ui/src/api/schema.ts, the UI's API types,
 * from the committed api-spec/openapi.yaml. Commit it with the spec.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { UI_API_TYPES_PATH } from './spec-paths.ts';
import { generateUiApiTypes } from './ui-api-types.ts';

writeFileSync(UI_API_TYPES_PATH, await generateUiApiTypes());
process.stdout.write(`wrote ${path.relative(process.cwd(), UI_API_TYPES_PATH)}\n`);
