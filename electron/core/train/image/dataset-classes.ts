// The classes of a synthetic image dataset as the UI and CLI show them: each class with the attributes its images
// carry and how many there are, and every image's class. Read from the header and the class column, not the files.
import type { ImageClassView } from '../../../shared/train-schemas';
import type { Db } from '../../store/database';
import type { DatasetRow } from '../runs-repo';
import type { ClassAttributes } from './attributes';

export function imageDatasetClasses(db: Db, d: DatasetRow): { classes: ImageClassView[]; imageClasses: number[] } | Record<string, never> {
  if (d.kind !== 'images') return {};
  const header = JSON.parse(d.header) as { classes?: ClassAttributes[] };
  if (!header.classes) return {}; // a dataset made before classes were recorded
  const labels = db.prepare('SELECT class_label FROM dataset_images WHERE dataset_id = ? ORDER BY idx').all(d.id) as { class_label: string | null }[];
  const index = new Map(header.classes.map((c, i) => [c.label, i]));
  const imageClasses = labels.map((r) => index.get(r.class_label) ?? -1);
  const classes = header.classes.map((c, i) => ({ label: c.label, modality: c.modality, bodyPart: c.bodyPart, images: imageClasses.filter((k) => k === i).length, note: c.note }));
  return { classes, imageClasses };
}
