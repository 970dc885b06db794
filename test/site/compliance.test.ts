/**
 * The compliance view (/compliance/) of the example repository's site: the example content (the
 * fictional health provider of SPEC §13) scored by `tidemark score` at a fixed instant, built with
 * Astro under a GitHub Pages base path, served locally and read in the Debian Chromium. Every figure
 * the page shows is checked against report.compliance; the page computes none.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../bench/site.js';
import type { Report } from '../../scripts/model/report.js';
import { run } from '../helpers/repo.js';
import { serve, type Served } from './server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BASE = '/tidemark/';
const NOW = '2026-12-01';

let work: string;
let report: Report;
let server: Served;
let browser: Browser;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'tidemark-compliance-site-'));
  const repo = join(work, 'repo');
  for (const part of ['tidemark.yaml', 'groups', 'detections', 'controls', 'coverage']) cpSync(join(ROOT, part), join(repo, part), { recursive: true });
  const scored = await run(['score', '--repo', repo, '--out', join(work, 'build'), '--now', NOW, '--quiet']);
  if (scored.code !== 0) throw new Error(`tidemark score failed (${scored.code}):\n${scored.stderr}`);
  report = JSON.parse(readFileSync(join(work, 'build', 'report.json'), 'utf8')) as Report;
  buildSite(join(work, 'build', 'report.json'), join(work, 'dist'), { TIDEMARK_SITE_BASE: BASE });
  server = await serve(join(work, 'dist'), BASE);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function open(path: string) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  const response = await page.goto(server.url + path, { waitUntil: 'load' });
  return { page, problems, status: response?.status(), close: () => context.close() };
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

describe('the compliance view of the example site', () => {
  it('is reached from the navigation and renders without errors', async () => {
    expect(report.compliance).toBeDefined();
    const { page, problems, close } = await open('');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compliance' }).click();
    await page.waitForURL(`**${BASE}compliance/`);
    expect(await page.locator('h1').innerText()).toBe('Compliance is the floor, not the ceiling');
    expect(await page.locator('nav a[aria-current="page"]').innerText()).toBe('Compliance');
    expect(problems).toEqual([]);
    await close();
  });

  it('states the floor against the overlay with the report\'s figures', async () => {
    const { floor, controls } = report.compliance!;
    // The example's controls reach part of the overlay, not all of it: the point of the page.
    expect(floor.reached).toBeGreaterThan(0);
    expect(floor.uncovered.length).toBeGreaterThan(0);
    const { page, close } = await open('compliance/');
    expect(await page.getByTestId('floor-sentence').innerText()).toBe(
      `Implemented controls mapped to compliance requirements reach ${pct(floor.share)} of the techniques our adversaries use (${floor.reached} of ${floor.overlay}); ` +
        `${floor.uncovered.length} overlay techniques, ${floor.uncovered_gaps} of them gaps, are listed by none of them.`,
    );
    expect(await page.getByTestId('floor-share').innerText()).toBe(pct(floor.share));
    expect(await page.getByTestId('floor-uncovered').innerText()).toBe(String(floor.uncovered.length));
    expect(await page.locator('.figure', { hasText: 'implemented controls with compliance ids' }).locator('.figure__value').innerText()).toBe(String(controls.length));
    await close();
  });

  it('lists the overlay techniques no mapped control reaches, by priority, with their states', async () => {
    const { floor } = report.compliance!;
    const { page, close } = await open('compliance/');
    const rows = page.locator('#uncovered-table tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id))).toEqual(floor.uncovered.map((u) => u.id));
    const first = floor.uncovered[0];
    const row = page.locator(`#uncovered-table tr[data-id="${first.id}"]`);
    expect(await row.locator('.badge').getAttribute('class')).toContain(`state-${first.state}`);
    await row.getByRole('link').click();
    await page.waitForURL(`**/techniques/${first.id}/`);
    expect(await page.locator('h1').innerText()).toBe(first.name);
    await close();
  });

  it('shows, per framework, each requirement → its controls → their overlay techniques and states', async () => {
    const { page, close } = await open('compliance/');
    const states = new Map(report.techniques.map((t) => [t.id, t.state]));
    for (const fw of report.compliance!.frameworks) {
      const section = page.locator(`section[data-framework="${fw.key}"]`);
      expect(await section.locator('h3').innerText()).toContain(fw.name);
      expect(await section.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.requirement))).toEqual(fw.requirements.map((r) => r.id));
      for (const r of fw.requirements) {
        const row = section.locator(`tr[data-requirement="${r.id}"]`);
        expect(await row.locator('.compliance-control').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.control)), `${fw.key} ${r.id}`).toEqual(r.controls);
        expect(await row.locator('td.num').innerText()).toBe(String(r.reached.length));
      }
    }
    // One requirement in detail: the zero-padding-free NIST id, its controls' statuses, each technique's state badge.
    const nist = report.compliance!.frameworks.find((f) => f.key === 'nist-800-53-r5')!;
    const req = nist.requirements.find((r) => r.reached.length > 0)!;
    const row = page.locator(`section[data-framework="nist-800-53-r5"] tr[data-requirement="${req.id}"]`);
    for (const id of req.controls) {
      const control = report.controls.find((c) => c.id === id)!;
      const block = row.locator(`.compliance-control[data-control="${id}"]`);
      expect(await block.locator('.tag').first().innerText()).toBe(control.status);
      const overlayTechniques = control.techniques.filter((t) => states.has(t));
      const shown = await block.locator('li').evaluateAll((lis) => lis.map((li) => [li.querySelector('code')!.textContent, li.querySelector('.badge')!.className]));
      expect(shown.map(([t]) => t)).toEqual(overlayTechniques);
      for (const [t, cls] of shown) expect(cls).toContain(`state-${states.get(t!)}`);
    }
    await close();
  });

  it('has no serious or critical accessibility violation', async () => {
    const { page, close } = await open('compliance/');
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id} ${v.help} (${v.nodes.length}: ${v.nodes[0]?.target.join(' ')})`)).toEqual([]);
    await page.screenshot({ path: join(ROOT, 'test-results', 'site', 'compliance.png'), fullPage: false });
    await close();
  });
});
