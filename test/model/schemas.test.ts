import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SCHEMA_DIR, schemaFiles } from '../../scripts/model/write-schemas.js';
import { ConfigSchema, type Config } from '../../scripts/model/schemas.js';

describe('JSON Schemas', () => {
  it('the files editors use are exactly what the TypeScript definitions generate (run `npm run schemas`)', () => {
    for (const [name, text] of Object.entries(schemaFiles())) {
      const path = join(SCHEMA_DIR, name);
      expect(existsSync(path), `${name} is missing`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${name} drifted from scripts/model`).toBe(text);
    }
  });

  it('every published schema compiles under JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false });
    for (const text of Object.values(schemaFiles())) expect(() => ajv.compile(JSON.parse(text))).not.toThrow();
  });

  it('fills every default of tidemark.yaml from a file that only pins the release', () => {
    const validate = new Ajv2020({ useDefaults: true, strict: false }).compile(ConfigSchema);
    const config = { attack: { version: '18.1' } } as unknown as Config;
    expect(validate(config)).toBe(true);
    expect(config.attack.domain).toBe('enterprise-attack');
    expect(config.policy.credit).toEqual({ validated: 1, blocked: 1, detected: 0.5, mitigated: 0.5, failed: 0, visible: 0, blind: 0 });
    expect(config.policy.relevance).toEqual({ high: 3, medium: 2, low: 1 });
    expect(config.gate).toEqual({ fail_on: ['invalid', 'regression', 'new_gap'], new_groups_may_add_gaps: true, min_score: 0 });
    expect(config.profile).toEqual({ include_campaigns: true, include_software: false, baseline: 0 });
  });
});
