import { symlinkSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, run } from '../helpers/repo.js';

const json = async (repo: string) => {
  const result = await run(['validate', '--repo', repo, '--format', 'json']);
  return { ...result, findings: JSON.parse(result.stdout || '[]') as { file: string; line: number; code: string; message: string }[] };
};

describe('validate on hostile input: findings, never a crash', () => {
  it('refuses a 20 MB file before parsing it', async () => {
    const repo = makeRepo({ 'detections/huge.yaml': `id: x\ndescription: "${'A'.repeat(20 * 1024 * 1024)}"\n` });
    const { code, findings, stderr } = await json(repo);
    expect(code).toBe(1);
    expect(findings).toContainEqual(expect.objectContaining({ file: 'detections/huge.yaml', line: 1, code: 'file-too-large' }));
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('does not follow a link that leaves the repository', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'tidemark-outside-'));
    writeFileSync(join(outside, 'secret.yaml'), 'id: det-secret\ntitle: SECRET-CONTENT\nstatus: stable\ntechniques: [T1059.001]\n');
    const repo = makeRepo({ 'detections/ok.yaml': 'id: det-ok\ntitle: ok\nstatus: stable\ntechniques: [T1059.001]\n' });
    symlinkSync(join(outside, 'secret.yaml'), join(repo, 'detections', 'secret.yaml'));
    symlinkSync(outside, join(repo, 'controls'));
    const { code, findings, stdout } = await json(repo);
    expect(code).toBe(1);
    expect(findings.filter((f) => f.code === 'symlink-outside').map((f) => f.file).sort()).toEqual(['controls', 'detections/secret.yaml']);
    expect(stdout).not.toContain('SECRET-CONTENT');
  });

  it('keeps Object.prototype untouched by __proto__ keys in every kind of file', async () => {
    const proto = '__proto__: { polluted: yes }\nconstructor: { prototype: { polluted: yes } }\n';
    const repo = makeRepo({
      'tidemark.yaml': `attack: { version: "18.1" }\n${proto}`,
      'groups/g.yaml': `id: G0016\nrelevance: high\nrationale: r\nreviewed: 2026-01-01\n${proto}`,
      'detections/d.yaml': `id: d\ntitle: t\nstatus: stable\ntechniques: [T1059.001]\n${proto}`,
    });
    const { code, findings } = await json(repo);
    expect(code).toBe(1);
    expect(findings.some((f) => f.file === 'tidemark.yaml' && f.code === 'config-unknown-key' && f.message.includes('__proto__'))).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('without a mirror or network, says what was tried and how to work offline, exit 2', async () => {
    const repo = makeRepo({});
    const env = { ...process.env, TIDEMARK_ATTACK_MIRROR: '', HTTPS_PROXY: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9' };
    const result = await run(['validate', '--repo', repo], env);
    expect(result.code).toBe(2);
    const message = result.stderr.trim();
    expect(message).toContain('TIDEMARK_ATTACK_MIRROR');
    expect(message).toContain('--attack-file');
    expect(message).toMatch(/cache/);
    expect(message).toMatch(/download/);
    expect(message).not.toMatch(/\n\s+at /);
    expect(message.split('\n').length).toBe(1);
  });
});
