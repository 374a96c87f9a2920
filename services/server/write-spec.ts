/**
 * `npm run spec`: regenerates api-spec/openapi.yaml and api-spec/errors.md from the route schemas
 * and the error registry. Needs no Redis and no running cluster. Commit both files. The npm script then
 * runs `npm run spec:ui` (write-ui-types.ts), which regenerates the UI's API types from the new spec.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSpec } from './spec-document.ts';
import { ERRORS_MD_PATH, SPEC_YAML_PATH } from './spec-paths.ts';

const spec = await generateSpec();
writeFileSync(SPEC_YAML_PATH, spec.yaml);
writeFileSync(ERRORS_MD_PATH, spec.errorsMarkdown);
const cwd = process.cwd();
process.stdout.write(`wrote ${path.relative(cwd, SPEC_YAML_PATH)} and ${path.relative(cwd, ERRORS_MD_PATH)}\n`);
