/** Types of paths.mjs (plain JS so astro.config.mjs can load it before Vite). */
export declare const REPO_DIR: string;
export declare function reportPath(env?: NodeJS.ProcessEnv): string;
export declare function buildDir(env?: NodeJS.ProcessEnv): string;
export declare function historyPath(env?: NodeJS.ProcessEnv): string;
export declare function siteBase(env?: NodeJS.ProcessEnv): string;
export declare function outDir(env?: NodeJS.ProcessEnv): string;
export interface ArtefactFile {
  name: string;
  source: string;
  kind: 'report' | 'backlog' | 'summary' | 'history' | 'layer';
  title: string;
  description: string;
  group?: string;
}
export declare function artefacts(env?: NodeJS.ProcessEnv): ArtefactFile[];
