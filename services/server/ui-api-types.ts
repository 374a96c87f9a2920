/**
 * The web UI's API types, generated from api-spec/openapi.yaml by openapi-typescript into ui/src/api/schema.ts.
 * The UI aliases them (ui/src/api/*.ts) instead of copying the server's views by hand.
 * Used by write-ui-types.ts (`npm run spec:ui`, run by `npm run spec`) and by the ui-api-types drift test.
 * Reads only the committed spec: no server, no Redis.
 */
import { readFileSync } from 'node:fs';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import YAML from 'yaml';
import { SPEC_YAML_PATH } from './spec-paths.ts';

const HEADER =
  '// Generated from api-spec/openapi.yaml by `npm run spec:ui` (openapi-typescript; services/server/ui-api-types.ts). Do not edit.\n' +
  '// The UI names what it reads from here in ui/src/api/ (types.ts, jobs.ts, apps.ts, session.ts, http.ts).\n\n';

/** The text of ui/src/api/schema.ts for the spec `specYaml` (the text of api-spec/openapi.yaml). */
export async function generateUiApiTypes(specYaml: string = readFileSync(SPEC_YAML_PATH, 'utf8')): Promise<string> {
  const ast = await openapiTS(YAML.parse(specYaml) as OpenAPI3, {
    // minItems/maxItems as tuples: a port range is [begin, end], not any number of numbers.
    arrayLength: true,
  });
  return HEADER + astToString(ast);
}
