/** `EACCES: permission denied` without the path and syscall noise Node adds. */
export const fsReason = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}` : String(e.message ?? error);
};
