/**
 * Writes the JSON Schemas for editors and other tools to `schemas/`. The files are generated from
 * `schemas.ts` and `report.ts`; `test/model/schemas.test.ts` fails when they drift.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ReportSchema } from './report.js';
import { CONTENT_SCHEMAS } from './schemas.js';

export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas', import.meta.url));

/** JSON text of every published schema, by file name; TypeBox's symbol keys never reach JSON. */
export function schemaFiles(): Record<string, string> {
  const all = { ...CONTENT_SCHEMAS, 'report.schema.json': ReportSchema };
  return Object.fromEntries(
    Object.entries(all).map(([name, schema]) => [
      name,
      `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...schema }, null, 2)}\n`,
    ]),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [name, text] of Object.entries(schemaFiles())) writeFileSync(join(SCHEMA_DIR, name), text);
}
