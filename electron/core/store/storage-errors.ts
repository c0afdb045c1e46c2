// SQLite's and the system's "no space" and read-only errors, recognised once for every writer that must
// survive them (an import, a logout) rather than crash on them.
export type StorageProblem = 'full' | 'readonly' | 'write';

const PROBLEMS: Record<string, StorageProblem> = {
  SQLITE_FULL: 'full',
  ENOSPC: 'full',
  SQLITE_READONLY: 'readonly',
  EROFS: 'readonly',
  SQLITE_IOERR_WRITE: 'write',
};

/** What kind of storage failure `err` is, or null if it is not one. */
export function storageProblem(err: unknown): StorageProblem | null {
  return PROBLEMS[String((err as { code?: unknown } | null)?.code)] ?? null;
}
