// Flags columns that identify patients, from the column name and from what the values look like.
import { dateFormText } from '../../../shared/date-schema';
import { compactName, nameWords } from './names';
import type { ColumnProfile } from './types';

export type IdentifyingKind = 'name' | 'record-number' | 'date-of-birth' | 'postcode' | 'phone' | 'email' | 'address' | 'free-text' | 'date' | 'identifier';
export type Treatment = 'drop' | 'generalise' | 'keep';

export interface IdentifyingFlag {
  identifying: boolean;
  kind: IdentifyingKind | null;
  /** For the data steward: the evidence, then what to do. */
  reason: string;
  suggested: Treatment;
}

// Share of non-missing values that must match a pattern before the values alone flag a column.
const VALUE_SHARE = 0.8;

const has = (words: string[], ...wanted: string[]): boolean => words.some((w) => wanted.includes(w));

// Words that make "name" mean a thing rather than a person (drug_name, ward_name).
const THING_WORDS = ['drug', 'medication', 'med', 'hospital', 'ward', 'test', 'file', 'site', 'trial', 'study', 'product', 'device', 'lab', 'centre', 'center', 'clinic', 'unit', 'variable', 'field', 'code', 'brand', 'organism', 'procedure'];

// The patient's own number (MRN, NHS/CHI/SSN, hospital number, patient_id); a generic x_id is left to the values,
// since hospital_id or case_id may be a category with a few levels.
function recordNumberName(words: string[], compact: string): boolean {
  if (has(words, 'mrn', 'nhs', 'ssn', 'chi', 'urn')) return true;
  const numbered = has(words, 'no', 'num', 'nr', 'number');
  if (numbered && has(words, 'record', 'hospital', 'hosp', 'case', 'medicare', 'medicaid', 'insurance', 'account', 'policy', 'beneficiary')) return true;
  return /^(patient|subject|person|participant|record|medicalrecord)(id|no|num|number)$/.test(compact);
}

const STRING_TYPES: ColumnProfile['inferredType'][] = ['text', 'categorical', 'identifier'];

// Dates written as numbers count once recognised or confirmed; a "date?" the steward has not confirmed does not.
const numericDate = (p: ColumnProfile): boolean => p.date?.status === 'recognised' || p.date?.status === 'confirmed';
const dateLike = (p: ColumnProfile): boolean => p.inferredType === 'date' || p.inferredType === 'datetime' || numericDate(p);

type NameRule = [IdentifyingKind, (words: string[], compact: string, profile: ColumnProfile) => boolean];
// First match wins; the order puts the narrower kinds first.
const NAME_RULES: NameRule[] = [
  ['email', (w, c) => has(w, 'email', 'mail') || c.includes('email')],
  ['phone', (w, c) => has(w, 'phone', 'tel', 'telephone', 'mobile', 'fax', 'cellphone', 'telefon', 'telefono') || c.includes('phone')],
  // "birth" alone also names birth weight or birth order, so it counts only for columns of dates.
  ['date-of-birth', (w, c, p) => has(w, 'dob') || /dateofbirth|birthdate|birthday|geburtsdatum|naissance/.test(c) || ((has(w, 'birth', 'yob') || /yearofbirth|birthyear/.test(c)) && dateLike(p))],
  ['postcode', (w, c) => has(w, 'postcode', 'postal', 'zip', 'zipcode', 'plz', 'postleitzahl', 'eircode') || c.includes('postcode')],
  ['address', (w, c) => has(w, 'address', 'addr', 'street', 'city', 'town', 'adresse', 'direccion', 'strasse') || c.includes('address')],
  ['name', (w, c) => (has(w, 'name', 'names', 'surname', 'forename', 'firstname', 'lastname', 'fullname', 'initials', 'nom', 'prenom', 'nombre', 'apellido', 'vorname', 'nachname') || /^(first|last|given|family|full|middle|maiden)name$/.test(c)) && !has(w, ...THING_WORDS)],
  ['record-number', (w, c) => recordNumberName(w, c)],
  // Only for strings: a "notes_count" or "summary_score" of numbers is not free text.
  ['free-text', (w, _c, p) => STRING_TYPES.includes(p.inferredType) && (has(w, 'comment', 'comments', 'note', 'notes', 'remark', 'remarks', 'narrative', 'freetext', 'memo', 'description', 'summary') || (has(w, 'free') && has(w, 'text')))],
];

const TREATMENT: Record<IdentifyingKind, Treatment> = {
  name: 'drop',
  'record-number': 'drop',
  email: 'drop',
  phone: 'drop',
  address: 'drop',
  'free-text': 'drop',
  identifier: 'drop',
  'date-of-birth': 'generalise',
  date: 'generalise',
  // The spec cannot cut a postcode to its area, so the advice is what it can do.
  postcode: 'drop',
};

const ADVICE: Record<IdentifyingKind, string> = {
  name: 'Personal names identify people directly: drop the column.',
  'record-number': 'A record number identifies the patient directly: drop it from synthesis; it can still be the holdout group key, so all rows of one patient stay on one side.',
  identifier: 'A key identifies the row or patient: drop it from synthesis; it can still be the holdout group key, so all rows of one patient stay on one side.',
  email: 'E-mail addresses identify people directly: drop the column.',
  phone: 'Phone numbers identify people directly: drop the column.',
  address: 'Addresses identify people directly: drop the column.',
  'free-text': 'Free text can hold names, dates and numbers anywhere in it: drop the column.',
  'date-of-birth': 'A date of birth narrows a patient down to a handful of people: generalise it to the year of birth.',
  date: 'Exact dates (admission, procedure, visit) can identify a patient: generalise them to the month or year, or shift each patient’s dates by one secret offset (intervals between them are kept).',
  postcode: 'A full postcode narrows a patient down to a few households: drop the column (to keep the area, import it already cut to the outward code or the first three ZIP digits).',
};

const NAMED: Record<IdentifyingKind, string> = {
  name: 'personal names',
  'record-number': 'a record number',
  identifier: 'a key',
  email: 'e-mail addresses',
  phone: 'phone numbers',
  address: 'addresses',
  'free-text': 'free text',
  'date-of-birth': 'dates of birth',
  date: 'dates',
  postcode: 'postcodes',
};

function flag(kind: IdentifyingKind, evidence: string): IdentifyingFlag {
  return { identifying: true, kind, reason: `${evidence}. ${ADVICE[kind]}`, suggested: TREATMENT[kind] };
}

export function flagIdentifying(profile: ColumnProfile): IdentifyingFlag {
  const words = nameWords(profile.name);
  const compact = compactName(profile.name);
  for (const [kind, matches] of NAME_RULES) if (matches(words, compact, profile)) return flag(kind, `The column name "${profile.name}" suggests ${NAMED[kind]}`);

  const share = (n: number): number => (profile.count > 0 ? n / profile.count : 0);
  const pct = (n: number): string => `${Math.round(100 * share(n))}%`;
  const { email, phone, postcode } = profile.patterns;
  if (share(email) >= VALUE_SHARE) return flag('email', `${pct(email)} of the values look like e-mail addresses`);
  if (share(phone) >= VALUE_SHARE) return flag('phone', `${pct(phone)} of the values look like phone numbers`);
  if (share(postcode) >= VALUE_SHARE) return flag('postcode', `${pct(postcode)} of the values look like postcodes or ZIP codes`);

  // Before the inferred type: a day count confirmed as dates may have looked like a code.
  if (profile.date && numericDate(profile)) return flag('date', `The values are dates written as ${dateFormText(profile.date.form)} (${profile.date.range.from} to ${profile.date.range.to})`);
  // The inferred type, not an override: flags describe the data, whatever type the steward picks for synthesis.
  switch (profile.inferredType) {
    case 'identifier':
      return flag('identifier', `The values are ${profile.unique ? 'unique' : 'nearly all distinct'} codes`);
    case 'text':
      return flag('free-text', 'The values are long or varied strings (free text)');
    case 'date':
    case 'datetime':
      return flag('date', 'The values are dates');
    default:
      if (profile.date?.status === 'candidate')
        return { identifying: false, kind: null, reason: `The values may be dates written as ${dateFormText(profile.date.form)} (date?): confirm it in the column list and it is flagged like any date; until then it is kept.`, suggested: 'keep' };
      return { identifying: false, kind: null, reason: 'Neither the name nor the values suggest a direct identifier: keep it.', suggested: 'keep' };
  }
}
