// Bundles the CLI into dist/cli.mjs when dependencies are installed (`prepare`), so a command
// starts without compiling TypeScript; bin/tidemark.js falls back to the sources when they are newer.
import { build } from 'esbuild';

await build({
  entryPoints: ['scripts/cli/main.ts'],
  outfile: 'dist/cli.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
