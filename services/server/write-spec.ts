/**
 * `npm run spec`: regenerates api-spec/openapi.yaml and api-spec/errors.md from the route schemas
 * and the error registry. Needs no Redis and no running cluster. Commit both files.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ERRORS_MD_PATH, SPEC_YAML_PATH, generateSpec } from './spec-document.ts';

const spec = await generateSpec();
writeFileSync(SPEC_YAML_PATH, spec.yaml);
writeFileSync(ERRORS_MD_PATH, spec.errorsMarkdown);
const cwd = process.cwd();
process.stdout.write(`wrote ${path.relative(cwd, SPEC_YAML_PATH)} and ${path.relative(cwd, ERRORS_MD_PATH)}\n`);
