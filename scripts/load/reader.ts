/**
 * Where repository files come from: the working tree or git objects at a revision. The loader only
 * sees this interface, so the gate and the history evaluate a base revision exactly like the tree.
 */
export interface RepoFile {
  /** Repository-relative path with forward slashes. */
  path: string;
  bytes: Uint8Array;
}

export interface Skipped {
  path: string;
  /** Why the file was not read (a symlink leaving the repository, unreadable, too large…). */
  reason: 'symlink-outside' | 'file-unreadable' | 'file-too-large';
  message: string;
}

export interface RepoReader {
  /** Content files of the repository (tidemark.yaml, groups/, detections/, controls/, coverage/). */
  read(): Promise<{ files: RepoFile[]; skipped: Skipped[] }>;
}

/** The folders and files that hold content, relative to the repository root. */
export const CONTENT_ROOTS = ['tidemark.yaml', 'groups', 'detections', 'controls', 'coverage'] as const;

export const isContentPath = (path: string): boolean =>
  path === 'tidemark.yaml' ||
  (/\.ya?ml$/i.test(path) && CONTENT_ROOTS.some((root) => root !== 'tidemark.yaml' && path.startsWith(`${root}/`)));

/** Files larger than this are refused before parsing: no content file is legitimately this big. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
