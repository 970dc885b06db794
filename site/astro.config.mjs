// The published site: renders build/report.json (never recomputes coverage). Built with
// `npm run build:site` (= `astro build --root site`). Inputs and base path come from the
// environment; see paths.mjs.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import { artefacts, outDir, REPO_DIR, siteBase } from './paths.mjs';

// Bundled pages cannot locate the repository from their own URL: tell them (see paths.mjs).
process.env.TIDEMARK_REPO_DIR ||= REPO_DIR;

/** Copies report.json, the Navigator layers, backlog.csv, summary.md and history.json to /downloads/. */
const downloads = {
  name: 'tidemark-downloads',
  hooks: {
    'astro:build:done': ({ dir, logger }) => {
      const root = join(fileURLToPath(dir), 'downloads');
      const list = artefacts();
      for (const a of list) {
        const target = join(root, a.name);
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(a.source, target);
      }
      logger.info(`copied ${list.length} download(s) to ${root}`);
    },
  },
};

export default defineConfig({
  site: process.env.TIDEMARK_SITE_URL || undefined,
  base: siteBase(),
  outDir: outDir(),
  trailingSlash: 'always',
  build: { format: 'directory', inlineStylesheets: 'never' },
  compressHTML: true,
  devToolbar: { enabled: false },
  integrations: [downloads],
  vite: {
    // The report schema lives in ../scripts/model; Vite may read it.
    server: { fs: { allow: ['..'] } },
    build: { chunkSizeWarningLimit: 200 },
  },
});
