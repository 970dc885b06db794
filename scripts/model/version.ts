import pkg from '../../package.json' with { type: 'json' };

/** The version users see in reports and `--version`: the package's own. */
export const TOOL_VERSION: string = pkg.version;
