/**
 * The published site, built once from a fixture report (every state, hostile text, a history) under
 * a GitHub Pages base path, served from site output by a local static server and driven with the
 * Debian Chromium: every page type renders without console errors, the matrix and backlog behave,
 * every internal link resolves, axe finds nothing serious, hostile repository text stays text.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../bench/site.js';
import type { Report } from '../../scripts/model/report.js';
import { HOSTILE, makeHistory, makeReport, writeBuild } from './fixture.js';
import { serve, type Served } from './server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = join(ROOT, 'test-results', 'site');
const BASE = '/tidemark/';
const CHROMIUM = '/usr/bin/chromium';

let work: string;
let dist: string;
let report: Report;
let server: Served;
let browser: Browser;

const slug = (id: string) =>
  [...new TextEncoder().encode(id)].map((b, i) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(b)) || (b === 0x2e && i > 0) ? String.fromCharCode(b) : `~${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`The site tests drive Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  work = mkdtempSync(join(tmpdir(), 'tidemark-site-'));
  report = makeReport();
  const reportPath = writeBuild(join(work, 'build'), report, makeHistory(report));
  dist = join(work, 'dist');
  buildSite(reportPath, dist, { TIDEMARK_SITE_BASE: BASE });
  server = await serve(dist, BASE);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(SHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Opens a page and records console errors, uncaught exceptions, failed requests and dialogs. */
async function open(path: string, options: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  const response = await page.goto(server.url + path, { waitUntil: 'load' });
  return { page, problems, status: response?.status(), close: () => context.close() };
}

/** Overlay cells a person sees: Playwright's notion of visible (rendered with a box), scrolled into view or not. */
const visibleOverlayCells = (page: Page) => page.locator('.cell--overlay:visible').count();

describe('site pages', () => {
  const firstControl = () => report.controls[0].id;
  const pages = () => [
    ['overview', ''],
    ['matrix', 'matrix/'],
    ['backlog', 'backlog/'],
    ['groups', 'groups/'],
    ['group', `groups/${slug(report.groups[0].id)}/`],
    ['custom group', `groups/${slug('X-regional-ransomware')}/`],
    ['techniques', 'techniques/'],
    ['technique (overlay)', `techniques/${report.techniques.find((t) => t.validations.length > 0)!.id}/`],
    ['technique (not in overlay)', `techniques/${report.catalog.find((c) => !report.techniques.some((t) => t.id === c.id))!.id}/`],
    ['detections', 'detections/'],
    ['detection', `detections/${slug(report.detections.find((d) => d.counts)!.id)}/`],
    ['controls', 'controls/'],
    ['control', `controls/${slug(firstControl())}/`],
    ['telemetry', 'telemetry/'],
    ['emulation', 'emulation/'],
    ['findings', 'findings/'],
    ['downloads', 'downloads/'],
    ['about', 'about/'],
  ];

  it('renders every page type without console errors', async () => {
    for (const [name, path] of pages()) {
      const { page, problems, status, close } = await open(path);
      expect(status, name).toBe(200);
      expect(problems, name).toEqual([]);
      expect(await page.locator('h1').count(), name).toBe(1);
      // The ATT&CK notice is on every page.
      expect(await page.locator('footer').innerText(), name).toContain('© 2025 The MITRE Corporation');
      await close();
    }
  });

  it('has no serious or critical accessibility violation', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    for (const [name, path] of pages().filter(([n]) => ['overview', 'matrix', 'backlog', 'group', 'technique (overlay)', 'detection', 'telemetry'].includes(n))) {
      await page.goto(server.url + path);
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${name}: ${v.id} ${v.help} (${v.nodes.length}: ${v.nodes[0]?.target.join(' ')})`)).toEqual([]);
    }
    await context.close();
  });

  it('says what the score means in words on the overview', async () => {
    const { page, close } = await open('');
    const sentence = await page.getByTestId('score-sentence').innerText();
    expect(sentence).toMatch(new RegExp(`^${Math.round(report.summary.score * 100)}% of the weighted techniques our adversaries use are covered; \\d+% proven by emulation\\.$`));
    expect(await page.locator('.trend svg polyline').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header nav').isVisible()).toBe(false);
    await page.pdf({ path: join(SHOTS, 'overview.pdf'), format: 'A4', printBackground: true });
    await close();
  });
});

describe('matrix', () => {
  it('shows exactly one coloured cell per overlay technique, by state', async () => {
    const { page, problems, close } = await open('matrix/');
    expect(await page.locator('.cell--overlay').count()).toBe(report.summary.overlay);
    expect(await page.locator('[data-state]').count()).toBe(report.summary.overlay);
    expect(await visibleOverlayCells(page)).toBe(report.summary.overlay);
    for (const [state, n] of Object.entries(report.summary.states)) expect(await page.locator(`.cell--overlay[data-state="${state}"]`).count(), state).toBe(n);
    // Every overlay cell is coloured by its state's class and carries its letter.
    const uncoloured = await page.$$eval('.cell--overlay', (cells) => cells.filter((c) => !c.className.includes(`state-${c.getAttribute('data-state')}`)).length);
    expect(uncoloured).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'matrix.png'), fullPage: false });
    expect(problems).toEqual([]);
    await close();
  });

  it('filters by group and platform, and shows all techniques on demand', async () => {
    const { page, close } = await open('matrix/');
    const group = report.groups[2];
    await page.selectOption('#filter-group', { label: `${group.name} (${group.id})` });
    expect(await visibleOverlayCells(page)).toBe(group.techniques.length);
    expect(group.techniques.length).toBeLessThan(report.summary.overlay);
    expect(await page.locator('#matrix-count').innerText()).toBe(`${group.techniques.length} of ${report.summary.overlay} overlay techniques match`);
    expect(page.url()).toContain('group=2');

    await page.selectOption('#filter-group', '');
    await page.selectOption('#filter-platform', { label: 'Linux' });
    const linux = report.techniques.filter((t) => t.platforms.includes('Linux')).length;
    expect(await visibleOverlayCells(page)).toBe(linux);
    await page.selectOption('#filter-platform', '');

    const others = page.locator('#matrix .cell--other');
    expect(await others.first().isVisible()).toBe(false);
    await page.check('#view-all');
    expect(await page.locator('.tech.only-all:not(.tech--sub) > .cell--other').first().isVisible()).toBe(true);
    expect(page.url()).toContain('view=all');
    await close();
  });

  it('works without JavaScript and stays light', async () => {
    const { page, close } = await open('matrix/', { javaScriptEnabled: false });
    expect(await page.locator('.cell--overlay').count()).toBe(report.summary.overlay);
    expect(await page.locator('#filter-group').isVisible()).toBe(false);
    // The "show all" checkbox is CSS only.
    await page.check('#view-all');
    expect(await page.locator('.tech.only-all:not(.tech--sub) > .cell--other').first().isVisible()).toBe(true);
    await close();
    const html = readFileSync(join(dist, 'matrix', 'index.html'));
    expect(gzipSync(html).length).toBeLessThan(500 * 1024);
  });

  it('links each cell to its technique page', async () => {
    const { page, close } = await open('matrix/');
    const first = page.locator('.cell--overlay').first();
    const id = (await first.locator('.cell__id').innerText()).trim();
    await first.click();
    await page.waitForURL(`**/techniques/${id}/`);
    expect(await page.locator('h1').innerText()).toBe(report.techniques.find((t) => t.id === id)!.name);
    await close();
  });
});

describe('backlog', () => {
  const ids = (page: Page) => page.$$eval('#backlog tbody tr:not([hidden])', (rows) => rows.map((r) => (r as HTMLElement).dataset.id!));

  it('is in priority order without JavaScript', async () => {
    const { page, close } = await open('backlog/', { javaScriptEnabled: false });
    expect(await ids(page)).toEqual(report.backlog.map((b) => b.id));
    await close();
  });

  it('sorts by column and filters by state and group', async () => {
    const { page, problems, close } = await open('backlog/');
    await page.screenshot({ path: join(SHOTS, 'backlog.png'), fullPage: false });
    await page.getByRole('button', { name: 'Technique' }).click();
    const byId = [...report.backlog.map((b) => b.id)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    expect(await ids(page)).toEqual(byId);
    expect(await page.locator('th[aria-sort="ascending"]').innerText()).toContain('Technique');
    await page.getByRole('button', { name: 'Technique' }).click();
    expect(await ids(page)).toEqual([...byId].reverse());

    await page.getByRole('button', { name: 'Priority' }).click();
    const priorities = await page.$$eval('#backlog tbody tr', (rows) => rows.map((r) => Number((r as HTMLElement).dataset.priority)));
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    await page.getByRole('button', { name: 'Priority' }).click();
    const ascending = await page.$$eval('#backlog tbody tr', (rows) => rows.map((r) => Number((r as HTMLElement).dataset.priority)));
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));

    await page.selectOption('#filter-state', 'blind');
    expect(await ids(page)).toHaveLength(report.backlog.filter((b) => b.state === 'blind').length);
    await page.selectOption('#filter-group', 'G0034');
    expect(await ids(page)).toHaveLength(report.backlog.filter((b) => b.state === 'blind' && b.groups.includes('G0034')).length);
    await page.selectOption('#filter-state', '');
    await page.selectOption('#filter-group', '');
    await page.fill('#filter-text', 'collect telemetry');
    expect(await ids(page)).toHaveLength(report.backlog.filter((b) => /collect telemetry/i.test(b.action)).length);
    expect(problems).toEqual([]);
    await close();
  });

  it('offers the CSV and the other downloads', async () => {
    for (const name of ['backlog.csv', 'report.json', 'layers/coverage.json', 'layers/overlay.json', `layers/group-${report.groups[0].id}.json`, 'history.json']) {
      const response = await fetch(`${server.url}downloads/${name}`);
      expect(response.status, name).toBe(200);
    }
    const published = await (await fetch(`${server.url}downloads/report.json`)).json();
    expect(published).toEqual(report);
  });
});

describe('links', () => {
  it('resolve: every internal link of every page, under the base path', async () => {
    const seen = new Set<string>([server.url]);
    const queue = [server.url];
    const broken: string[] = [];
    const outside: string[] = [];
    let pagesCrawled = 0;
    while (queue.length) {
      const batch = queue.splice(0, 16);
      await Promise.all(
        batch.map(async (url) => {
          const response = await fetch(url);
          if (response.status !== 200) {
            broken.push(`${response.status} ${url}`);
            return;
          }
          if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return;
          pagesCrawled++;
          const html = await response.text();
          for (const match of html.matchAll(/\b(?:href|src)="([^"]*)"/g)) {
            const raw = match[1].replace(/&amp;/g, '&');
            expect(raw.toLowerCase().startsWith('javascript:'), `${url} links ${raw}`).toBe(false);
            const target = new URL(raw, url);
            if (target.origin !== new URL(server.url).origin) continue;
            if (!target.pathname.startsWith(BASE)) outside.push(`${url} → ${raw}`);
            target.hash = '';
            target.search = '';
            if (!seen.has(target.href)) {
              seen.add(target.href);
              queue.push(target.href);
            }
          }
        }),
      );
    }
    expect(outside).toEqual([]);
    expect(broken).toEqual([]);
    // Overview, lists, matrix… plus one page per technique, group, detection and control.
    expect(pagesCrawled).toBeGreaterThan(report.catalog.length + report.detections.length);
  });
});

describe('hostile repository text', () => {
  it('renders markup, event handlers and javascript: URLs as text, and runs nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    for (const path of [`detections/${slug(HOSTILE.id)}/`, 'detections/', `techniques/${report.techniques.find((t) => t.detections.includes(HOSTILE.id))!.id}/`, `groups/${slug('X-regional-ransomware')}/`, 'groups/']) {
      await page.goto(server.url + path, { waitUntil: 'load' });
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), path).toBeUndefined();
      expect(await page.locator('a[href^="javascript:" i]').count(), path).toBe(0);
      expect(await page.locator('main img, main svg[onload], main b, main i').count(), path).toBe(0);
    }
    await page.goto(server.url + `detections/${slug(HOSTILE.id)}/`);
    expect(await page.locator('h1').innerText()).toBe(HOSTILE.title);
    const main = await page.locator('main').innerText();
    expect(main).toContain('<img src=x onerror="window.__pwned = 2">');
    expect(main).toContain('javascript:window.__pwned=3');
    expect(main).toContain(HOSTILE.owner);
    // The one http(s) URL in the description becomes a link; nothing else does.
    const links = await page.locator('main .prose-text a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(['https://wiki.example.org/runbooks/powershell']);
    expect(dialogs).toEqual([]);
    await context.close();
  });
});

describe('an invalid report', () => {
  it('fails the build with the schema errors and how to regenerate it', async () => {
    const dir = join(work, 'invalid');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'report.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, JSON.stringify({ ...report, summary: { ...report.summary, overlay: -1.5 }, backlog: 'none' }));
    let message = '';
    try {
      buildSite(path, join(dir, 'dist'));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/report\.json is not a valid tidemark report/);
    expect(message).toContain('/summary/overlay must be integer');
    expect(message).toContain('/backlog must be array');
    expect(message).toContain('npx tidemark score');
  });
});
