import { createRequire } from 'node:module';

/** The version users see in reports and `--version`: the package's own. */
export const TOOL_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
