import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AtomicIndexError,
  attackPlatforms,
  checkAtomicIds,
  loadAtomicIndex,
  parseAtomicIndex,
  suggestTests,
  type AtomicIndex,
} from '../../scripts/atomic/index.js';
import { makeRepo } from '../helpers/repo.js';

const INDEX = fileURLToPath(new URL('../../../shared/corpora/atomic-red-team/index.csv', import.meta.url));
const text = readFileSync(INDEX, 'utf8');
const guids = (list: { guid: string }[]) => list.map((s) => s.guid.slice(0, 8));

describe('Atomic Red Team index CSV', () => {
  const { index, problems } = parseAtomicIndex(text);

  it('parses the full index: 2,300 rows, 1,819 distinct tests by GUID', () => {
    expect(problems).toEqual([]);
    expect(Object.keys(index.tests)).toHaveLength(1819);
    expect(index.tests['9fdd83fd-bd53-46e5-a716-9dec89c8ae8e']).toEqual({
      guid: '9fdd83fd-bd53-46e5-a716-9dec89c8ae8e',
      technique: 'T1078.004',
      number: 1,
      name: 'Creating GCP Service Account and Service Account Key',
      executor: 'sh',
      platforms: ['Linux', 'macOS'],
      platformsFrom: 'executor',
      tactics: ['stealth', 'privilege-escalation', 'persistence', 'initial-access'],
    });
    expect(index.byTechnique['T1078.004']).toHaveLength(3);
  });

  it('test names with quotes and commas survive', () => {
    expect(index.tests['2ec63cc2-4975-41a6-bf09-dffdfb610778'].name).toBe('Create a Hidden User Called "$"');
  });

  it('suggestions respect the organisation\'s platforms (from the executor when only the index is known)', () => {
    expect(suggestTests(index, 'T1059.004', ['Windows'])).toEqual([]);
    const linux = suggestTests(index, 't1059.004', ['Linux']);
    expect(linux).toHaveLength(3);
    for (const s of linux) expect(['sh', 'bash']).toContain(index.tests[s.guid].executor);
    expect(suggestTests(index, 'T1078.004', ['Windows'])).toEqual([{ guid: '348f4d14-4bd3-4f6b-bd8a-61237f78b3ac', name: 'Azure Persistence Automation Runbook Created or Modified' }]);
    // No platforms: no filter; unknown technique: nothing.
    expect(suggestTests(index, 'T1059.001')).toHaveLength(3);
    expect(suggestTests(index, 'T9999', ['Windows'])).toEqual([]);
  });

  it('manual tests run anywhere but come after automated ones', () => {
    // T1003.001 test 5 (Task Manager) is the only manual one.
    const all = index.byTechnique['T1003.001'].map((g) => index.tests[g]);
    expect(all.find((t) => t.executor === 'manual')?.platforms).toEqual([]);
    expect(suggestTests(index, 'T1003.001', ['Windows']).map((s) => index.tests[s.guid].number)).toEqual([1, 2, 3]);
    const tiny: AtomicIndex = {
      tests: {
        m: { guid: 'm', technique: 'T1', number: 1, name: 'manual', executor: 'manual', platforms: [], platformsFrom: 'executor', tactics: [] },
        a: { guid: 'a', technique: 'T1', number: 2, name: 'auto', executor: 'sh', platforms: ['Linux'], platformsFrom: 'executor', tactics: [] },
      },
      byTechnique: { T1: ['m', 'a'] },
    };
    expect(suggestTests(tiny, 'T1', ['macOS'])).toEqual([{ guid: 'm', name: 'manual' }]);
    expect(suggestTests(tiny, 'T1', ['Linux']).map((s) => s.name)).toEqual(['auto', 'manual']);
  });

  it('a broken index is reported with its line', () => {
    const broken = parseAtomicIndex('Tactic,Technique #,Technique Name,Test #,Test Name,Test GUID,Executor Name\nexecution,T1059,"Command,1,x,not-a-guid,sh\n');
    expect(broken.problems).toEqual([{ line: 2, message: expect.stringMatching(/never closed/) }]);
    expect(parseAtomicIndex('Tactic,Technique #\n').problems[0].message).toMatch(/lacks columns "Technique Name"/);
    expect(parseAtomicIndex('Tactic,Technique #,Technique Name,Test #,Test Name,Test GUID,Executor Name\nexecution,T1059,C,1,x,not-a-guid,sh\n').problems).toEqual([
      { line: 2, message: '"Test GUID" "not-a-guid" is not a GUID' },
    ]);
  });
});

describe('ART platforms', () => {
  it('maps supported_platforms to every ATT&CK name the platform has had', () => {
    expect(attackPlatforms(['windows', 'office-365', 'azure-ad', 'iaas:aws', 'containers', 'esxi'])).toEqual([
      'Windows',
      'Office Suite',
      'Office 365',
      'Identity Provider',
      'Azure AD',
      'IaaS',
      'Containers',
      'ESXi',
    ]);
  });
});

describe('loadAtomicIndex', () => {
  it('from a path: the atomics folder beside the index gives the real platforms', async () => {
    const { index, atomicsDir } = await loadAtomicIndex(INDEX, { repoDir: makeRepo({}) });
    expect(atomicsDir).toMatch(/atomic-red-team\/atomics$/);
    expect(Object.keys(index.tests)).toHaveLength(1819);
    expect(index.tests['9fdd83fd-bd53-46e5-a716-9dec89c8ae8e']).toMatchObject({
      platforms: ['Office Suite', 'Identity Provider', 'Google Workspace', 'IaaS'],
      platformsFrom: 'atomics',
    });
    // The Azure runbook test is a PowerShell test, but it runs against IaaS, not on Windows.
    expect(suggestTests(index, 'T1078.004', ['Windows'])).toEqual([]);
    expect(guids(suggestTests(index, 'T1078.004', ['IaaS']))).toEqual(['9fdd83fd', '348f4d14', '3a159042']);
    // sh tests of T1486 are Linux-only or macOS-only, which the executor alone cannot tell.
    expect(guids(suggestTests(index, 'T1486', ['macOS']))).toEqual(['645f0f5a', '1a01f6b8']);
  });

  it('a path relative to the repository', async () => {
    const repo = makeRepo({ 'vendor/art/index.csv': text });
    const { index, atomicsDir } = await loadAtomicIndex('vendor/art/index.csv', { repoDir: repo });
    expect(Object.keys(index.tests)).toHaveLength(1819);
    expect(atomicsDir).toBeUndefined();
  });

  describe('from a URL', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === '/atomics/Indexes/Indexes-CSV/index.csv') res.writeHead(200, { 'content-type': 'text/csv' }).end(text);
        else res.writeHead(404).end('not found');
      });
      await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    it('fetches and parses it', async () => {
      const { index } = await loadAtomicIndex(`${base}/atomics/Indexes/Indexes-CSV/index.csv`, { repoDir: makeRepo({}) });
      expect(Object.keys(index.tests)).toHaveLength(1819);
    });

    it('an HTTP error is an AtomicIndexError naming the URL', async () => {
      const error = await loadAtomicIndex(`${base}/missing.csv`, { repoDir: makeRepo({}) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AtomicIndexError);
      expect((error as AtomicIndexError).message).toMatch(new RegExp(`^cannot load the Atomic Red Team index from ${base}/missing.csv: .*404`));
      expect((error as AtomicIndexError).exitCode).toBe(2);
    });
  });

  it('a missing or unusable file is an AtomicIndexError', async () => {
    const repo = makeRepo({ 'bad.csv': 'Tactic,Technique #\nx,y\n' });
    await expect(loadAtomicIndex('nope.csv', { repoDir: repo })).rejects.toThrow('cannot read the Atomic Red Team index nope.csv: no such file');
    await expect(loadAtomicIndex('bad.csv', { repoDir: repo })).rejects.toThrow(/bad\.csv is unusable: line 1: the Atomic Red Team index lacks columns/);
  });
});

describe('checkAtomicIds', () => {
  const { index } = parseAtomicIndex(text);
  const at = { file: 'coverage/validations/q4.yaml' };

  it('flags unknown test ids and tests of another technique, at the test id', () => {
    const findings = checkAtomicIds(
      [
        { ...at, path: [0], technique: 'T1059.001', test: { type: 'atomic', id: 'F3132740-55BC-48C4-BCC0-758A459CD027' } },
        { ...at, path: [1], technique: 'T1059.001', test: { type: 'atomic', id: '00000000-0000-0000-0000-000000000000' } },
        { ...at, path: [2], technique: 'T1003.001', test: { type: 'atomic', id: 'f3132740-55bc-48c4-bcc0-758a459cd027' } },
        { ...at, path: [3], technique: 'T1033', test: { type: 'caldera', id: 'c0da588f-79f0-4263-8998-7496b1a40596' } },
        { ...at, path: [4], technique: 'T1033', test: { type: 'atomic' } },
      ],
      index,
    );
    expect(findings).toEqual([
      {
        severity: 'warning',
        code: 'atomic-test-unknown',
        message: 'Atomic test 00000000-0000-0000-0000-000000000000 is not in the Atomic Red Team index.',
        file: 'coverage/validations/q4.yaml',
        path: [1, 'test', 'id'],
      },
      {
        severity: 'warning',
        code: 'atomic-test-mismatch',
        message: 'Atomic test f3132740-55bc-48c4-bcc0-758a459cd027 ("Mimikatz") is a test of T1059.001, not of T1003.001.',
        file: 'coverage/validations/q4.yaml',
        path: [2, 'test', 'id'],
      },
    ]);
  });
});
