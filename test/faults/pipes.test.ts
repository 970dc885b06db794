/**
 * `tidemark validate | head -1`: the reader closes the pipe after the first line while thousands
 * of findings are still to be printed. The process must finish with its own exit code and no
 * stack trace (an unhandled EPIPE used to crash it).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanRepo, removeTemplate, STACK_TRACE, writeFiles } from '../hostile/harness.js';
import { BIN } from './processes.js';

const made: string[] = [];
afterAll(async () => {
  made.forEach((d) => rmSync(d, { recursive: true, force: true }));
  await removeTemplate();
});

describe('a reader that closes the pipe early', () => {
  it('validate | head -1: exit 1 (the verdict), no EPIPE stack trace', async () => {
    const repo = await cleanRepo();
    made.push(repo);
    writeFiles(repo, Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`detections/many/d${i}.yaml`, `id: det-n${i}\ntitle: t\nstatus: stable\ntechniques: [T9999]\n`])));
    const result = await new Promise<{ code: number | null; stderr: string; lines: number }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'validate', '--repo', repo], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let lines = 0;
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', (d: Buffer) => {
        lines = d.toString().split('\n').length;
        child.stdout.destroy(); // what `head -1` does once it has its line
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr, lines }));
    });
    expect(result.lines).toBeGreaterThan(0);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stderr).not.toContain('EPIPE');
    expect(result.code).toBe(1);
  }, 120_000);
});

