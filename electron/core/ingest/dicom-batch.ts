// DICOM files are read, hashed, parsed and decode-checked one by one, but stored in batches: one commit (one fsync
// under synchronous=FULL) per batch instead of per file. Each file is a savepoint inside the batch, so a refused
// file leaves nothing and its neighbours stay; a file counts as imported only once its batch has committed.
import type { FileResult } from '../../shared/ingest-schemas';
import type { Db } from '../store/database';
import type { SourceCodec } from '../store/sources-seal';
import { ReadPool } from './read-pool';
import { duplicateOf, prepareDicom, sha256Of, storeDicom, type DicomHoldout, type PreparedDicom } from './dicom-import';

/**
 * Files or bytes per commit: enough to spread the fsync, few enough that a crash loses little unacknowledged work
 * and that one commit (encrypting, writing and fsyncing its files on the main thread) stays well under 50 ms: at 16
 * files / 8 MB the p99 event-loop lag during training and an import was 87 ms, at 8 / 4 MB 28–36 ms, same throughput.
 */
export const BATCH_FILES = 8;
export const BATCH_BYTES = 4 * 1024 * 1024;
/** Files read ahead while the current one is checked and stored, within a byte budget. */
const READ_AHEAD_FILES = 4;
const READ_AHEAD_BYTES = 32 * 1024 * 1024;

/** Reads the next DICOM files of a list while the current one is processed, so the disk and the CPU overlap. */
export class ReadAhead {
  private readonly pending = new Map<number, Promise<Uint8Array>>();
  private next = 0;

  constructor(
    private readonly files: readonly { path: string; kind: string; bytes: number }[],
    private readonly pool: ReadPool,
  ) {}

  /** The bytes of file `index`, started earlier if it was ahead; starts the reads of the files after it. */
  take(index: number): Promise<Uint8Array> {
    const mine = this.pending.get(index) ?? this.pool.read(this.files[index]?.path ?? '');
    this.pending.delete(index);
    this.next = Math.max(this.next, index + 1);
    let budget = [...this.pending.keys()].reduce((s, i) => s + (this.files[i]?.bytes ?? 0), 0);
    while (this.pending.size < READ_AHEAD_FILES && this.next < this.files.length) {
      const f = this.files[this.next];
      if (!f || budget + f.bytes > READ_AHEAD_BYTES) break;
      if (f.kind === 'dicom') {
        const p = this.pool.read(f.path);
        // A read that fails is reported when its file's turn comes; until then it must not be an unhandled rejection.
        p.catch(() => undefined);
        this.pending.set(this.next, p);
        budget += f.bytes;
      }
      this.next++;
    }
    return mine;
  }
}

type Item = { kind: 'ready'; prepared: PreparedDicom } | { kind: 'settled'; result: FileResult };

export class DicomBatch {
  private items: Item[] = [];
  private bytes = 0;

  constructor(
    private readonly db: Db,
    private readonly codec: SourceCodec,
    private readonly importId: number,
    private readonly holdout: DicomHoldout,
    private readonly now: () => Date,
    private readonly refuse: (path: string, bytes: number, err: unknown) => FileResult,
    private readonly record: (r: FileResult) => void,
    /** Where the files' bytes came from: each goes back once its file is stored or refused. */
    private readonly pool: ReadPool = new ReadPool(),
  ) {}

  async add(path: string, size: number, read: Promise<Uint8Array> = this.pool.read(path)): Promise<void> {
    let bytes: Uint8Array | null = null;
    try {
      bytes = await read;
      const sha = sha256Of(bytes);
      // Against the store and this batch's own files (a file picked twice is a duplicate of itself).
      const dup = duplicateOf(this.db, this.codec, path, bytes.length, sha) ?? this.inBatch(path, bytes.length, sha);
      this.items.push(dup ? { kind: 'settled', result: dup } : { kind: 'ready', prepared: await prepareDicom(path, bytes, sha) });
    } catch (err) {
      this.items.push({ kind: 'settled', result: this.refuse(path, size, err) });
    }
    // A settled file's bytes are done with now; a ready one's once its batch is stored.
    const last = this.items[this.items.length - 1];
    if (bytes && last?.kind === 'settled') this.pool.release(bytes);
    this.bytes += size;
    if (this.items.length >= BATCH_FILES || this.bytes >= BATCH_BYTES) this.flush();
  }

  private inBatch(path: string, bytes: number, sha: string): FileResult | null {
    const first = this.items.find((i) => i.kind === 'ready' && i.prepared.sha === sha);
    return first && first.kind === 'ready' ? { path, kind: 'dicom', bytes, status: 'duplicate', code: null, message: `Already in this import as ${first.prepared.name}.` } : null;
  }

  /** Commits what is prepared, then reports each file in order. */
  flush(): void {
    if (this.items.length === 0) return;
    const items = this.items;
    this.items = [];
    this.bytes = 0;
    const now = this.now();
    let results: FileResult[];
    try {
      results = this.db.transaction(() =>
        items.map((i) => {
          if (i.kind === 'settled') return i.result;
          try {
            return storeDicom(this.db, this.codec, this.importId, i.prepared, this.holdout, now);
          } catch (err) {
            // SQLite rolls the whole transaction back on some errors (a full disk while spilling its cache): then
            // nothing of the batch is stored, and going on would store later files outside any transaction.
            if (!this.db.inTransaction) throw err;
            return this.refuse(i.prepared.name, i.prepared.bytes.length, err);
          }
        }),
      )();
    } catch (err) {
      // The commit failed, or SQLite rolled the batch back (a full or read-only disk): nothing of it is stored, and
      // each file says why.
      results = items.map((i) => (i.kind === 'settled' && i.result.status !== 'imported' ? i.result : this.refuse(i.kind === 'ready' ? i.prepared.name : i.result.path, i.kind === 'ready' ? i.prepared.bytes.length : i.result.bytes, err)));
    }
    this.releaseAll(items);
    for (const r of results) this.record(r);
  }

  /** A cancel: what is not committed is dropped, as a half-read file is. */
  discard(): void {
    this.releaseAll(this.items);
    this.items = [];
    this.bytes = 0;
  }

  private releaseAll(items: readonly Item[]): void {
    for (const i of items) if (i.kind === 'ready') this.pool.release(i.prepared.bytes);
  }
}
