// PS3.15 Annex E flags: what identifies a person is flagged (with the basic-profile action), what describes
// the image is not. Nothing here removes anything.
import { describe, expect, it } from 'vitest';
import { annexEAction, annexEEntry, isIdentifying, normalizeTag } from '../../electron/core/imaging/annex-e';

describe('Annex E basic profile', () => {
  it.each([
    ['(0010,0010)', 'PatientName', 'Z'],
    ['(0010,0020)', 'PatientID', 'Z'],
    ['(0010,0030)', 'PatientBirthDate', 'Z'],
    ['(0010,0040)', 'PatientSex', 'Z'],
    ['(0010,1010)', 'PatientAge', 'X'],
    ['(0010,1040)', 'PatientAddress', 'X'],
    ['(0010,2154)', 'PatientTelephoneNumbers', 'X'],
    ['(0010,1000)', 'OtherPatientIDs', 'X'],
    ['(0010,1001)', 'OtherPatientNames', 'X'],
    ['(0008,0050)', 'AccessionNumber', 'Z'],
    ['(0008,0080)', 'InstitutionName', 'X/Z/D'],
    ['(0008,0081)', 'InstitutionAddress', 'X'],
    ['(0008,0090)', 'ReferringPhysicianName', 'Z'],
    ['(0008,1050)', 'PerformingPhysicianName', 'X'],
    ['(0008,1060)', 'NameOfPhysiciansReadingStudy', 'X'],
    ['(0008,1070)', 'OperatorsName', 'X/Z/D'],
    ['(0008,1010)', 'StationName', 'X/Z/D'],
    ['(0018,1000)', 'DeviceSerialNumber', 'X/Z/D'],
    ['(0020,000D)', 'StudyInstanceUID', 'U'],
    ['(0020,000E)', 'SeriesInstanceUID', 'U'],
    ['(0008,0018)', 'SOPInstanceUID', 'U'],
    ['(0008,0020)', 'StudyDate', 'Z'],
    ['(0008,0021)', 'SeriesDate', 'X/D'],
    ['(0008,0022)', 'AcquisitionDate', 'X/Z'],
    ['(0008,0023)', 'ContentDate', 'Z/D'],
    ['(0008,0030)', 'StudyTime', 'Z'],
    ['(0020,0010)', 'StudyID', 'Z'],
    ['(0032,1033)', 'RequestingService', 'X'],
    ['(0008,1140)', 'ReferencedImageSequence', 'X/Z/U*'],
  ])('%s %s → %s', (tag, keyword, action) => {
    expect(annexEEntry(tag)).toEqual({ keyword, action });
    expect(isIdentifying(tag)).toBe(true);
  });

  it('flags private attributes (odd groups), private creators included, as X', () => {
    for (const tag of ['(0009,0010)', '(0009,1001)', '(0029,1010)', '(7FE1,0010)']) {
      expect(annexEAction(tag)).toBe('X');
    }
  });

  it('flags curve data (50xx) and overlay data and comments (60xx,3000 / 60xx,4000), not overlay geometry', () => {
    expect(annexEAction('(5000,3000)')).toBe('X');
    expect(annexEAction('(501E,0010)')).toBe('X');
    expect(annexEAction('(6000,3000)')).toBe('X');
    expect(annexEAction('(6002,4000)')).toBe('X');
    expect(isIdentifying('(6000,0010)')).toBe(false); // Overlay Rows
  });

  it('does not flag attributes that describe the image', () => {
    for (const tag of ['(0028,0010)', '(0028,0011)', '(0028,0030)', '(0028,0100)', '(0008,0060)', '(0018,0050)', '(0020,0032)', '(7FE0,0010)']) {
      expect(isIdentifying(tag)).toBe(false);
      expect(annexEAction(tag)).toBeNull();
    }
  });

  it("accepts '(gggg,eeee)', 'ggggeeee' and dicom-parser's 'xggggeeee'", () => {
    expect(normalizeTag('(0010,0010)')).toBe('00100010');
    expect(normalizeTag('x0020000d')).toBe('0020000D');
    expect(normalizeTag('00100020')).toBe('00100020');
    expect(normalizeTag('PatientName')).toBeNull();
    expect(annexEAction('x00100010')).toBe('Z');
    expect(isIdentifying('not a tag')).toBe(false);
  });
});
