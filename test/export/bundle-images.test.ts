// An image dataset as the export gathers it: the stored synthetic DICOM files as they are, the same pixels as PNG,
// and the dataset's identity recomputed from the files (what the gate and the bundle verifier compare).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleImages } from '../../electron/core/export/bundle-images';
import { imagesDatasetHash } from '../../electron/core/export/bundle/images';
import { writeSyntheticDicom } from '../../electron/core/export/dicom-writer';
import { currentDatasetHash } from '../../electron/core/govern/gate';
import { openEncrypted } from '../../electron/core/store/database';
import { migrate } from '../../electron/core/store/migrations';
import { getRunRow, insertImageDataset } from '../../electron/core/train/runs-repo';
import { tempDir } from '../helpers';
import { META, phantom } from './fixtures';
import { readPng } from './png-read';

describe('image datasets in a bundle', () => {
  for (const bits of [8, 16] as const) {
    it(`keeps the ${bits}-bit DICOM files byte for byte, writes pixel-exact PNGs, and hashes to the stored identity`, async () => {
      const db = openEncrypted(join(tempDir(), 'w.db'), randomBytes(32), { create: true });
      migrate(db);
      db.prepare("INSERT INTO specs (id, name, kind, table_id, created_at, created_by) VALUES (1, 's', 'image', NULL, 't', 'a')").run();
      db.prepare("INSERT INTO spec_versions (spec_id, version, content, hash, created_at, created_by) VALUES (1, 1, '{}', ?, 't', 'a')").run(META.specHash);
      db.prepare("INSERT INTO runs (spec_id, spec_version, spec_hash, source_sha256, generator, seed, status, actor, hyperparameters, started_at) VALUES (1, 1, ?, 's', 'dcgan-64', 1, 'done', 'a', '{}', 't')").run(META.specHash);
      const images = [phantom(32, bits, 1), phantom(32, bits, 2), phantom(32, bits, 3)];
      const dicoms = writeSyntheticDicom(images, { ...META, runId: 1 });
      const pixels = images.map((im) => new Uint8Array(im.pixels.buffer, im.pixels.byteOffset, im.pixels.byteLength));
      const stored = insertImageDataset(db, 1, 32, pixels, dicoms, 'a', new Date());
      const out = await bundleImages(db, stored.id, getRunRow(db, 1));
      expect(out.dicom.map((d) => Buffer.from(d).equals(Buffer.from(dicoms[out.dicom.indexOf(d)]!)))).toEqual([true, true, true]);
      expect(out.png.map((p) => readPng(p).pixels)).toEqual(images.map((im) => [...im.pixels]));
      expect(imagesDatasetHash(out.dicom)).toBe(stored.sha256);
      expect(currentDatasetHash(db, stored.id)).toBe(stored.sha256);
      db.close();
    });
  }
});
