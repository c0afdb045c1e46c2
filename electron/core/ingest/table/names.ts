// Column-name matching by word: "patient_id", "PatientID" and "patient id" all give the words patient + id.

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** All words run together ("dateofbirth"), for names written without separators. */
export function compactName(name: string): string {
  return nameWords(name).join('');
}

const ID_WORDS = new Set(['id', 'ids', 'mrn', 'nhs', 'ssn', 'uuid', 'guid', 'identifier', 'urn', 'chi', 'pid', 'record']);
const ID_OWNERS = ['patient', 'subject', 'record', 'hospital', 'hosp', 'case', 'person', 'participant', 'medical'];
const NUMBER_WORDS = new Set(['no', 'num', 'nr', 'nbr', 'number']);

/** Names that say "this is a key or record number" (id, mrn, nhs_number, patientid, hosp_no). */
export function looksLikeIdName(name: string): boolean {
  const words = nameWords(name);
  if (words.some((w) => ID_WORDS.has(w))) return true;
  const compact = words.join('');
  if (ID_OWNERS.some((o) => compact === `${o}id` || compact === `${o}no` || compact === `${o}number`)) return true;
  return words.some((w) => ID_OWNERS.includes(w)) && words.some((w) => NUMBER_WORDS.has(w));
}
