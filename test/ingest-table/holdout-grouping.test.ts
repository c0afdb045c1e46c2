// At import, a table with a patient-identifier column whose values repeat is grouped by it, and the import says so;
// unique ids leave rows independent; doubtful or competing keys are named with the reason and how to change them.
import { describe, expect, it } from 'vitest';
import { holdoutAssignment } from '../../electron/core/ingest/table';
import { DATA, writeTemp } from './table-helpers';
import { heldOutRows, ingest, stewardService, valuesOnBothSides } from './holdout-setup';

// 60 subjects × 3 visits in 4 sites; two episodes per subject; every visit its own id.
function visitsCsv(): string {
  const lines = ['visit_id,subject,episode_id,site_id,visit,sbp'];
  for (let s = 1; s <= 60; s++)
    for (let v = 1; v <= 3; v++) lines.push(`V${s * 10 + v},S${1000 + s},E${s}-${v === 3 ? 2 : 1},${(s % 4) + 1},${v},${110 + ((s * 7 + v * 13) % 40)}`);
  return `${lines.join('\n')}\n`;
}

describe('holdout grouping detected at import', () => {
  it('colon.csv (two rows per patient, no group column given): grouped by id, no patient on both sides, and the import says so', async () => {
    const { svc } = await stewardService();
    const job = await ingest(svc, [`${DATA}/colon.csv`]);
    const [result] = job.results;
    expect(result?.status).toBe('imported');
    expect(result?.message).toContain('Rows are grouped by “id” (929 patients, 2 rows each on average) so a patient\'s rows stay on one side of the holdout.');
    const [table] = (await svc.call('sources:list', {})).tables;
    if (!table) throw new Error('no table');
    expect(table.holdout).toMatchObject({ groupColumn: 'id', groups: 929, holdoutGroups: 186, rows: 372, leaks: [] });
    expect(table.holdout.note).toMatch(/^Rows are grouped by “id”/);
    expect(valuesOnBothSides(svc, table.id, 0)).toBe(0);
    svc.end();
  });

  it('pbc.csv (one row per patient): rows stay independent, with the same split as before', async () => {
    const { svc, db } = await stewardService();
    const job = await ingest(svc, [`${DATA}/pbc.csv`]);
    expect(job.results[0]?.message).toContain('“id” is unique (one row per value), so rows are independent');
    const [table] = (await svc.call('sources:list', {})).tables;
    expect(table?.holdout).toMatchObject({ groupColumn: null, groups: 418, rows: 84, leaks: [] });
    // The split an ungrouped import always drew: nothing changed for unique ids.
    const before = holdoutAssignment(418, { seed: 'airlock', fraction: 0.2 }).isHoldout.flatMap((h, i) => (h ? [i] : []));
    expect(heldOutRows(db(), table?.id ?? -1)).toEqual(before);
    svc.end();
  });

  it('several candidate keys: groups by the one named for patients, names the others and how to change it; a site is not a patient', async () => {
    const { svc } = await stewardService();
    const job = await ingest(svc, [writeTemp('visits.csv', visitsCsv())]);
    const message = job.results[0]?.message ?? '';
    expect(message).toContain('Rows are grouped by “subject” (60 patients, 3 rows each on average)');
    expect(message).toContain('its name says patient most plainly');
    expect(message).toContain('Other columns that could identify patients: “episode_id” (120 values).');
    expect(message).toContain('airlock holdout <table#> --group-column NAME');
    expect(message).not.toContain('site_id');
    expect(message).not.toContain('visit_id');
    const [table] = (await svc.call('sources:list', {})).tables;
    if (!table) throw new Error('no table');
    expect(table.holdout).toMatchObject({ groupColumn: 'subject', groups: 60, holdoutGroups: 12, rows: 36 });
    // Sites hold patients from both sides by design, episodes sit inside patients: neither is reported as a leak.
    expect(table.holdout.leaks).toEqual([]);
    expect(valuesOnBothSides(svc, table.id, 1)).toBe(0);
    expect(valuesOnBothSides(svc, table.id, 3)).toBeGreaterThan(0);
    svc.end();
  });

  it('a doubtful key (many rows without a value) is still used, with the doubt said plainly', async () => {
    const lines = ['record,test,value'];
    for (let p = 1; p <= 30; p++) for (let k = 0; k < 4; k++) lines.push(`${p % 10 === 0 ? '' : `R${p}`},t${k},${p + k}`);
    const { svc } = await stewardService();
    const job = await ingest(svc, [writeTemp('labs.csv', `${lines.join('\n')}\n`)]);
    const message = job.results[0]?.message ?? '';
    expect(message).toContain('Rows are grouped by “record” (27 patients, 4 rows each on average)');
    expect(message).toContain('This was chosen automatically and is a guess: 12 rows have no value there, and each of them is split on its own.');
    expect(message).toContain('To change it, redraw the holdout');
    const [table] = (await svc.call('sources:list', {})).tables;
    // 27 patients plus 12 rows without a record, each a group of its own.
    expect(table?.holdout).toMatchObject({ groupColumn: 'record', groups: 39 });
    expect(valuesOnBothSides(svc, table?.id ?? -1, 0)).toBe(0);
    svc.end();
  });

  it('a group column given at import is kept, not replaced by the detected one', async () => {
    const { svc } = await stewardService();
    const job = await ingest(svc, [writeTemp('visits.csv', visitsCsv())], { fraction: 0.25, seed: 'mine', groupColumn: 'episode_id' });
    expect(job.results[0]?.message).toContain('Rows are grouped by “episode_id” (120 groups, 1.5 rows each on average)');
    const [table] = (await svc.call('sources:list', {})).tables;
    expect(table?.holdout).toMatchObject({ groupColumn: 'episode_id', groups: 120, holdoutGroups: 30, seed: 'mine' });
    // Grouping by episodes splits some subjects across the two sides: the leak check says so at once.
    expect(table?.holdout.leaks).toEqual([expect.objectContaining({ column: 'subject', of: 60 })]);
    expect(job.results[0]?.message).toMatch(/Warning: \d+ of 60 patients in “subject” have rows on both sides/);
    svc.end();
  });
});
