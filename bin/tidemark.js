#!/usr/bin/env node
// The engine is TypeScript run through tsx, so `npx tidemark` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../scripts/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
