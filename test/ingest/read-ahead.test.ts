// The import reads the next DICOM files while it checks and stores the current one: each file's bytes are its own,
// a file that vanished or cannot be read fails at its own turn (not as an unhandled rejection), tables are not read.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReadAhead } from '../../electron/core/ingest/dicom-batch';
import { ReadPool } from '../../electron/core/ingest/read-pool';
import { tempDir } from '../helpers';

describe('reading ahead', () => {
  it('gives each file its own bytes, fails a missing one at its turn, and skips tables', async () => {
    const dir = tempDir();
    const files = Array.from({ length: 9 }, (_, i) => {
      const path = join(dir, `f${i}.${i === 4 ? 'csv' : 'dcm'}`);
      if (i !== 6) writeFileSync(path, Buffer.alloc(1000 + i, i));
      return { path, kind: i === 4 ? 'table' : 'dicom', bytes: 1000 + i };
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const ahead = new ReadAhead(files, new ReadPool());
      for (const [i, f] of files.entries()) {
        if (f.kind !== 'dicom') continue;
        // The file after a missing one is read ahead while the missing one is still waiting.
        if (i === 6) await expect(ahead.take(i)).rejects.toMatchObject({ code: 'ENOENT' });
        else expect(Buffer.from(await ahead.take(i))).toEqual(Buffer.alloc(1000 + i, i));
      }
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
