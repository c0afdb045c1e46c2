// The notes an imported image gets: what a steward must know that the import itself does not stop on —
// burned-in text, attributes present but empty, a repaired offset table, a transfer syntax that was inferred.
import type { DicomNote } from '../../shared/ingest-schemas';
import type { ParsedDicom } from './dicom';
import { headerlessNote } from './headerless';

// Modalities (and SOP classes) whose images often show patient details in the pixels.
const TEXT_PRONE: Record<string, string> = {
  US: 'ultrasound (US)',
  IVUS: 'intravascular ultrasound (IVUS)',
  XA: 'X-ray angiography (XA)',
  RF: 'fluoroscopy (RF)',
  ES: 'endoscopy (ES)',
  XC: 'external-camera photograph (XC)',
  GM: 'microscopy (GM)',
  OP: 'ophthalmic photograph (OP)',
  SC: 'secondary capture (SC)',
  OT: 'other-modality (OT)',
  DOC: 'scanned document (DOC)',
};
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const ULTRASOUND_CLASSES = new Set(['1.2.840.10008.5.1.4.1.1.6.1', '1.2.840.10008.5.1.4.1.1.6.2', '1.2.840.10008.5.1.4.1.1.3.1']);

// Attributes Airlock reads or shows: an empty one is unknown, never 0.
const NOTED_EMPTY = new Set([
  'SliceThickness', 'SpacingBetweenSlices', 'PixelSpacing', 'ImagerPixelSpacing', 'ImagePositionPatient', 'ImageOrientationPatient',
  'RescaleSlope', 'RescaleIntercept', 'WindowCenter', 'WindowWidth', 'Modality', 'BodyPartExamined', 'InstanceNumber', 'SeriesNumber',
  'NumberOfFrames', 'BurnedInAnnotation', 'PatientSex', 'PatientAge', 'StudyDate',
]);

/** The kind of image when it is one where burned-in text is common, else null. */
export function textProneKind(modality: string | null, sopClassUid: string | null): string | null {
  const byModality = modality ? TEXT_PRONE[modality.toUpperCase()] : undefined;
  if (byModality) return byModality;
  if (sopClassUid && ULTRASOUND_CLASSES.has(sopClassUid)) return 'ultrasound';
  if (sopClassUid?.startsWith(SECONDARY_CAPTURE)) return 'secondary capture';
  return null;
}

function burnedInNote(p: ParsedDicom): DicomNote | null {
  if (p.burnedInAnnotation === 'YES') {
    return {
      code: 'burned-in',
      text: 'BurnedInAnnotation (0028,0301) is YES: patient details are burned into the pixels of this image. Clearing the header does not remove them; mask them or leave this series out before training.',
    };
  }
  if (p.burnedInAnnotation === 'NO') return null;
  const kind = textProneKind(p.modality, p.sopClassUid);
  if (!kind) return null;
  const raw = p.tags.find((t) => t.tag === '(0028,0301)')?.value;
  const state = raw === undefined ? 'is missing' : raw === '' ? 'is present but empty' : `holds “${raw}”, neither YES nor NO`;
  return {
    code: 'burned-in-unknown',
    text: `This is a${/^[aeiou]/i.test(kind) ? 'n' : ''} ${kind} image and BurnedInAnnotation (0028,0301) ${state}, so it does not say whether the pixels show text. Such images often show the patient’s name, ID or dates; look at them before training on them.`,
  };
}

export function imageNotes(p: ParsedDicom, offsetTableNote: string | null): DicomNote[] {
  const notes: DicomNote[] = [];
  if (p.header === 'none') notes.push({ code: 'no-part10-header', text: headerlessNote(p.transferSyntaxUid, p.transferSyntaxName) });
  if (p.header === 'no-preamble') {
    notes.push({ code: 'no-part10-header', text: `This file has no 128-byte preamble or 'DICM' marker, but its file meta information is there and names the transfer syntax (${p.transferSyntaxName}); it was read with that.` });
  }
  const burned = burnedInNote(p);
  if (burned) notes.push(burned);
  const empty = p.emptyAttributes.filter((label) => NOTED_EMPTY.has(label.split(' ')[0] ?? ''));
  if (empty.length > 0) {
    notes.push({ code: 'empty-value', text: `Present but empty: ${empty.join(', ')}. ${empty.length === 1 ? 'It is' : 'They are'} shown as empty and treated as unknown, not as 0.` });
  }
  if (offsetTableNote) notes.push({ code: 'offset-table', text: offsetTableNote });
  for (const w of p.warnings) notes.push({ code: 'attribute', text: w });
  return notes;
}
