// Date treatments end to end on a real store: the draft generalises identifying dates, a "date?" column is confirmed
// (audited) before it can be treated, a copula run with generalise writes "YYYY" cells, and validation's real rows get
// the same treatment (shift: intervals within a patient kept, the same offsets every time, the secret never written out).
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { specHash } from '../../electron/core/train/specs';
import { loadInputs } from '../../electron/core/validate/inputs';
import { specSchema, type Spec } from '../../electron/shared/spec-schema';
import { ADMIN, FAST_KDF } from '../helpers';
import { tempDir } from '../helpers';
import { writeTemp } from '../ingest-table/table-helpers';
import { codecOf, openedRows } from '../sources-sealed/opened';

const DAY = 86_400_000;
const isoDays = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY;

// 150 patients, two visits each: ISO admission and discharge dates, diagnosis as a decimal year, a day count since
// 1960 under a neutral name ("visit", offered as date?), and a lab value.
function visitsCsv(): string {
  const lines = ['pid,admitted,discharged,diagdate,visit,crp'];
  for (let p = 0; p < 150; p++) {
    for (let v = 0; v < 2; v++) {
      const adm = Date.UTC(1990, 0, 1) + (((p * 7919 + v * 400) % 6000) * DAY);
      const stay = 1 + ((p + v) % 20);
      const y = new Date(adm).getUTCFullYear();
      const frac = (adm - Date.UTC(y, 0, 1)) / (Date.UTC(y + 1, 0, 1) - Date.UTC(y, 0, 1));
      const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
      lines.push([`P${p}`, iso(adm), iso(adm + stay * DAY), (y + frac).toFixed(7), 10957 + ((p * 31) % 3000), (p * 13) % 97].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

async function setup() {
  const svc = new AirlockService({ kdf: FAST_KDF });
  await svc.call('workspace:create', { path: tempDir(), ...ADMIN });
  await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
  const job = await svc.call('ingest:start', { paths: [writeTemp('visits.csv', visitsCsv())], holdout: { fraction: 0.2, seed: 'airlock', groupColumn: 'pid' } });
  await svc.current?.imports.wait(job.id);
  const [table] = (await svc.call('sources:list', {})).tables;
  if (!table) throw new Error('no table');
  const detail = await svc.call('tables:get', { tableId: table.id, previewRows: 0 });
  const db = svc.current?.ws.db;
  if (!db) throw new Error('no session');
  const col = (name: string) => detail.columns.find((c) => c.name === name) ?? { index: -1 };
  return { svc, db, table, col, draft: await svc.call('specs:draft', { tableId: table.id }) };
}

const treat = (draft: Spec, changes: Record<string, Spec['columns'][number]>): Spec => ({ ...draft, columns: draft.columns.map((c) => changes[c.name] ?? c) });

async function runToEnd(svc: AirlockService, specId: number) {
  const run = await svc.call('runs:start', { specId });
  const done = await (svc.current?.runs.wait(run.id) ?? Promise.reject(new Error('no session')));
  expect(done).toMatchObject({ status: 'done' });
  return done;
}

describe('date treatments in a run', () => {
  it('drafts identifying dates as generalise-to-year; a date? column is confirmed (audited) before it can be treated', async () => {
    const { svc, table, col, draft } = await setup();
    const byName = new Map(draft.columns.map((c) => [c.name, c]));
    expect(byName.get('admitted')).toEqual({ name: 'admitted', treatment: 'generalise', to: 'year' });
    expect(byName.get('diagdate')).toEqual({ name: 'diagdate', treatment: 'generalise', to: 'year' });
    expect(byName.get('visit')).toEqual({ name: 'visit', treatment: 'synthesise' });
    expect(byName.get('crp')).toEqual({ name: 'crp', treatment: 'synthesise' });

    const shiftVisit = treat(draft, { visit: { name: 'visit', treatment: 'shift' } });
    await expect(svc.call('specs:save', { specId: null, spec: shiftVisit })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('“visit” is not dates') });
    await expect(svc.call('specs:save', { specId: null, spec: treat(draft, { crp: { name: 'crp', treatment: 'generalise', to: 'year' } }) })).rejects.toMatchObject({ message: expect.stringContaining('“crp” is not dates') });
    await expect(svc.call('specs:save', { specId: null, spec: treat(draft, { admitted: { name: 'admitted', treatment: 'generalise' } }) })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });

    const visit = (await svc.call('tables:get', { tableId: table.id, previewRows: 0 })).columns.find((c) => c.name === 'visit');
    expect(visit).toMatchObject({ date: { status: 'candidate', form: { unit: 'days', epoch: '1960-01-01' } }, phi: { identifying: false } });
    const confirmed = await svc.call('tables:setDate', { tableId: table.id, column: col('visit').index, form: { unit: 'days', epoch: '1960-01-01' } });
    expect(confirmed).toMatchObject({ date: { status: 'confirmed' }, phi: { identifying: true, kind: 'date', suggested: 'generalise' } });
    const [event] = await svc.call('audit:list', { action: 'table.column_date_set' });
    expect(event).toMatchObject({ actor: 'ada', details: { column: 'visit', dates: true, form: { unit: 'days', epoch: '1960-01-01' }, from: { status: 'candidate' } } });
    expect((await svc.call('specs:save', { specId: null, spec: shiftVisit })).version).toBe(1);

    // Saying it is not a date: the flag goes, and treating it is refused again.
    const rejected = await svc.call('tables:setDate', { tableId: table.id, column: col('visit').index, form: null });
    expect(rejected).toMatchObject({ date: { status: 'rejected' }, phi: { identifying: false } });
    await expect(svc.call('specs:save', { specId: null, spec: { ...shiftVisit, name: 'again' } })).rejects.toMatchObject({ message: expect.stringContaining('“visit” is not dates') });
    await expect(svc.call('tables:setDate', { tableId: table.id, column: col('crp').index, form: { unit: 'decimal-year' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await svc.call('audit:list', { action: 'table.column_date_set' })).toHaveLength(2);
    svc.end();
  });

  it('a copula run with generalise gives "YYYY" cells, and validation compares against real rows generalised the same way', async () => {
    const { svc, db, draft } = await setup();
    const saved = await svc.call('specs:save', { specId: null, spec: { ...treat(draft, { discharged: { name: 'discharged', treatment: 'generalise', to: 'month' } }), rows: 300 } });
    const run = await runToEnd(svc, saved.specId);
    const preview = await svc.call('datasets:preview', { datasetId: run.datasets[0]?.id ?? -1, limit: 300 });
    const cells = (name: string) => preview.preview.map((r) => r[preview.header.indexOf(name)]).filter((v): v is string => v !== null);
    expect(cells('admitted').length).toBeGreaterThan(250);
    expect(cells('admitted').every((v) => /^\d{4}$/.test(v) && Number(v) >= 1990 && Number(v) <= 2006)).toBe(true);
    expect(cells('diagdate').every((v) => /^\d{4}$/.test(v))).toBe(true);
    expect(cells('discharged').every((v) => /^\d{4}-(0[1-9]|1[0-2])$/.test(v))).toBe(true);

    const inputs = loadInputs(db, codecOf(svc), run.datasets[0]?.id ?? -1);
    const at = (name: string) => inputs.header.indexOf(name);
    expect(inputs.columns.find((c) => c.name === 'admitted')?.type).toBe('integer');
    expect(inputs.columns.find((c) => c.name === 'discharged')?.type).toBe('categorical');
    for (const side of [inputs.train, inputs.holdout]) {
      expect(side.every((r) => /^\d{4}$/.test(r[at('admitted')] ?? '') && /^\d{4}$/.test(r[at('diagdate')] ?? '') && /^\d{4}-\d{2}$/.test(r[at('discharged')] ?? ''))).toBe(true);
    }
    // The whole validation runs on those like-for-like columns (the year and month columns are judged as such).
    const v = await svc.call('validations:start', { datasetId: run.datasets[0]?.id ?? -1 });
    const done = await svc.current?.validations.wait(v.id);
    expect(done?.status, done?.errorMessage ?? '').toBe('done');
    // Same spec, same seed: the same synthetic table.
    expect((await runToEnd(svc, saved.specId)).datasets[0]?.sha256).toBe(run.datasets[0]?.sha256);
    svc.end();
  });

  it('shift: each patient’s dates move together (intervals kept), the same way every time, with a secret that stays in the store', async () => {
    const { svc, db, table, col, draft } = await setup();
    await svc.call('tables:setDate', { tableId: table.id, column: col('visit').index, form: { unit: 'days', epoch: '1960-01-01' } });
    const shifted = treat(draft, {
      admitted: { name: 'admitted', treatment: 'shift' },
      discharged: { name: 'discharged', treatment: 'shift' },
      diagdate: { name: 'diagdate', treatment: 'shift' },
      visit: { name: 'visit', treatment: 'shift' },
    });
    const saved = await svc.call('specs:save', { specId: null, spec: { ...shifted, rows: 200, dateShift: { maxDays: 180 } } });
    const run = await runToEnd(svc, saved.specId);
    const inputs = loadInputs(db, codecOf(svc), run.datasets[0]?.id ?? -1);
    const source = openedRows(svc, table.id).map((r) => r.cells as string[]);
    const treated = [...inputs.train, ...inputs.holdout];
    // pid is dropped from the synthetic table, so match rows by their unchanged lab value and stay length.
    const offsets = new Map<string, Set<number>>();
    let matched = 0;
    for (const real of source) {
      const stay = isoDays(real[2] ?? '') - isoDays(real[1] ?? '');
      const t = treated.find((r) => r[inputs.header.indexOf('crp')] === real[5] && isoDays(r[inputs.header.indexOf('discharged')] ?? '') - isoDays(r[inputs.header.indexOf('admitted')] ?? '') === stay && Number(r[inputs.header.indexOf('visit')]) - Number(real[4]) === isoDays(r[inputs.header.indexOf('admitted')] ?? '') - isoDays(real[1] ?? ''));
      if (!t) continue;
      matched++;
      const off = isoDays(t[inputs.header.indexOf('admitted')] ?? '') - isoDays(real[1] ?? '');
      expect(off !== 0 && Math.abs(off) <= 180).toBe(true);
      offsets.set(real[0] ?? '', (offsets.get(real[0] ?? '') ?? new Set()).add(off));
    }
    expect(matched).toBeGreaterThan(250);
    // Each patient: one offset for both visits; patients: many different offsets.
    expect([...offsets.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...offsets.values()].map((s) => [...s][0])).size).toBeGreaterThan(50);
    // Validation reads the same treated rows every time.
    expect(loadInputs(db, codecOf(svc), run.datasets[0]?.id ?? -1).train).toEqual(inputs.train);
    // The secret is in the store's settings only: not in the spec, the run, the audit trail or the synthetic rows.
    const secret = (db.prepare("SELECT value FROM settings WHERE key = 'dateShiftSecret'").get() as { value: string }).value;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    for (const [sql, what] of [['SELECT content AS v FROM spec_versions', 'specs'], ['SELECT hyperparameters AS v FROM runs', 'runs'], ['SELECT details AS v FROM audit_log', 'audit'], ['SELECT cells AS v FROM dataset_rows', 'rows']] as const) {
      const hits = (db.prepare(sql).all() as { v: string | null }[]).filter((r) => (r.v ?? '').includes(secret.slice(0, 16)));
      expect({ what, hits: hits.length }).toEqual({ what, hits: 0 });
    }
    svc.end();
  });

  it('old specs parse and hash as before: no treatment options appear', () => {
    const old = {
      name: 'old',
      source: { kind: 'table', tableId: 1, sha256: 'a'.repeat(64) },
      columns: [{ name: 'age', treatment: 'synthesise' }, { name: 'id', treatment: 'drop' }],
      generator: { kind: 'copula' },
      rows: 10,
      seed: 1,
      intendedUse: 'testing',
    };
    const { content } = specHash(specSchema.parse(old));
    expect(content).not.toMatch(/"to"|dateShift/);
    expect(specHash(specSchema.parse(JSON.parse(content))).content).toBe(content);
  });
});
