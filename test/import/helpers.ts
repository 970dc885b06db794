/** A repository with detections to match alerts against, and the fixture paths. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ValidationSchema } from '../../scripts/model/schemas.js';
import { makeRepo } from '../helpers/repo.js';

export const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/import/${path}`, import.meta.url));

/** The shared folder beside the repository (corpora, ATT&CK bundles), read in place. */
export const shared = (path: string) => fileURLToPath(new URL(`../../../shared/${path}`, import.meta.url));

const native = (id: string, technique: string) =>
  `id: ${id}\ntitle: ${id}\nstatus: stable\ntechniques: [${technique}]\nplatforms: [Windows]\n`;

export const SIGMA_ID = '5f2a1c7e-8c1b-4f38-9d0a-2b6f1e7a9c31';

export const DETECTIONS: Record<string, string> = {
  'detections/native/det-encoded-powershell.yaml': native('det-encoded-powershell', 'T1059.001'),
  'detections/native/det-lsass-access-nonstandard.yaml': native('det-lsass-access-nonstandard', 'T1003.001'),
  'detections/native/det-shadow-copy-deletion.yaml': native('det-shadow-copy-deletion', 'T1490'),
  'detections/sigma/lsass-comsvcs.yml': [
    'title: LSASS dump via comsvcs MiniDump',
    `id: ${SIGMA_ID}`,
    'status: test',
    'tags: [attack.credential-access, attack.t1003.001]',
    'logsource: { category: process_creation, product: windows }',
    'detection: { selection: { CommandLine|contains: comsvcs }, condition: selection }',
    '',
  ].join('\n'),
};

export const importRepo = (files: Record<string, string> = {}) => makeRepo({ ...DETECTIONS, ...files });

export const validationFiles = (repo: string): string[] => {
  try {
    return readdirSync(join(repo, 'coverage/validations')).sort();
  } catch {
    return [];
  }
};

export const readValidation = (repo: string, name: string) => readFileSync(join(repo, 'coverage/validations', name), 'utf8');

const ajv = new Ajv2020({ allErrors: true, strict: false });
export const validRecord = ajv.compile(ValidationSchema);
