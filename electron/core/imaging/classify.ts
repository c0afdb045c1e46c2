// Names what is wrong with a file dicom-parser could not read. Its errors ("buffer overrun", "position cannot
// be greater than...") say neither which element failed nor whether the file was cut short or is malformed,
// so a separate structural walk decides: an element running past the end means truncated.
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { DicomError, reasonOf } from './dicom-error';
import { dictionaryEntry } from './dictionary';
import { dataSetStart, metaCutShort, walk } from './structure';
import { transferSyntax } from './transfer-syntax';

const END_OF_DATA = /overrun|past end|beyond|end of (the )?buffer|greater than or equal to 'byteArray' length|maxPosition|eof encountered|unexpected end of file/i;
const CUT_SHORT = 'It was probably cut short, e.g. by an interrupted copy or download.';

export function classifyParseError(err: unknown, bytes: Uint8Array): DicomError {
  const reason = reasonOf(err);
  if (metaCutShort(bytes)) {
    return new DicomError('DICOM_TRUNCATED', `The file is truncated: it ends (after ${bytes.length} bytes) inside its File Meta Information header. ${CUT_SHORT}`, { cause: err });
  }
  if (/missing required meta header attribute 0002,0010/.test(reason)) {
    return new DicomError('DICOM_MALFORMED', 'The file meta information has no Transfer Syntax UID (0002,0010), so the data set after it cannot be read.', { cause: err });
  }
  const uid = metaTransferSyntax(bytes);
  if (uid !== null && uid !== '1.2.840.10008.1.2.1.99') {
    const explicit = uid !== '1.2.840.10008.1.2';
    const le = uid !== '1.2.840.10008.1.2.2';
    const start = dataSetStart(bytes);
    const result = walk(bytes, start, explicit, le);
    if (result.kind === 'overrun') return truncated(result.tag, result.declared, result.available, err);
    if (result.kind === 'lost' && result.first && explicit && walk(bytes, start, false, true).kind !== 'lost') {
      return new DicomError(
        'DICOM_MALFORMED',
        `The file meta information says the data set is ${transferSyntax(uid).name} (explicit VR), but it is written with implicit VRs. The software that wrote it is faulty; convert the file (e.g. with dcmconv) and import it again.`,
        { cause: err },
      );
    }
    if (result.kind === 'clean') return malformed(reason, err);
  }
  if (END_OF_DATA.test(reason)) {
    return new DicomError('DICOM_TRUNCATED', `The file ends in the middle of its DICOM data set (after ${bytes.length} bytes). ${CUT_SHORT}`, { cause: err });
  }
  return malformed(reason, err);
}

/** A parse that "succeeded" can still hold an element longer than the file, or compressed pixels cut off. */
export function checkComplete(dataSet: DataSet): void {
  const size = dataSet.byteArray.length;
  const cut = Object.values(dataSet.elements).find((el: Element) => el.length > 0 && el.length !== 0xffffffff && el.dataOffset + el.length > size);
  if (cut) {
    const tag = cut.tag.slice(1).toUpperCase();
    throw truncated(`(${tag.slice(0, 4)},${tag.slice(4)})`, cut.length, Math.max(0, size - cut.dataOffset));
  }
  const px = dataSet.elements.x7fe00010;
  // Compressed pixel data must end with a sequence delimiter; without one the last fragment was cut off.
  if (px?.encapsulatedPixelData && dataSet.warnings.some((w) => /sequence delimiter|eof encountered|past end/i.test(w))) {
    throw new DicomError('DICOM_TRUNCATED', `The file is truncated: its compressed Pixel Data (7FE0,0010) ends without the closing delimiter. ${CUT_SHORT}`);
  }
}

function truncated(tag: string, declared: number, available: number, cause?: unknown): DicomError {
  const keyword = dictionaryEntry(tag.replace(/[(),]/g, ''))?.keyword;
  const name = keyword ? `${keyword} ${tag}` : `element ${tag}`;
  return new DicomError('DICOM_TRUNCATED', `The file is truncated: ${name} should hold ${declared} bytes but the file ends after ${available}. ${CUT_SHORT}`, { cause });
}

function malformed(reason: string, cause: unknown): DicomError {
  return new DicomError('DICOM_MALFORMED', `The DICOM data set is malformed and cannot be read (the parser reported: ${reason}).`, { cause });
}

function metaTransferSyntax(bytes: Uint8Array): string | null {
  try {
    const meta = dicomParser.readPart10Header(bytes);
    return meta.string('x00020010')?.replace(/\0/g, '').trim() ?? null;
  } catch {
    return null;
  }
}
