/**
 * Where the generated API files live: the contract (api-spec/, written by `npm run spec` from the route schemas)
 * and the UI's types generated from it (`npm run spec:ui`). Kept apart from the generators so that reading a
 * path does not load the server.
 */
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SPEC_YAML_PATH = path.join(ROOT, 'api-spec', 'openapi.yaml');
export const ERRORS_MD_PATH = path.join(ROOT, 'api-spec', 'errors.md');
export const UI_API_TYPES_PATH = path.join(ROOT, 'ui', 'src', 'api', 'schema.ts');
