// Redrawing a table's holdout after import: audited from/to, a leak check with counts wherever the split is shown,
// validation of a run trained before the redraw still uses that run's split, and the same from the CLI.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInputs } from '../../electron/core/validate/inputs';
import { ADMIN } from '../helpers';
import { heldOutRows, ingest, stewardService, valuesOnBothSides } from './holdout-setup';
import { DATA } from './table-helpers';
import { codecOf, openedRows } from '../sources-sealed/opened';

const BIN = join(process.cwd(), 'bin/airlock.mjs');

function airlock(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', AIRLOCK_PASSWORD: ADMIN.password }, input: '' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('redrawing a table holdout', () => {
  it('warns with counts when patients land on both sides, clears the warning when grouped again, and audits from/to', async () => {
    const { svc } = await stewardService();
    await ingest(svc, [`${DATA}/colon.csv`]);
    const [table] = (await svc.call('sources:list', {})).tables;
    if (!table) throw new Error('no table');

    const ungrouped = await svc.call('tables:setHoldout', { tableId: table.id, holdout: { fraction: 0.2, seed: 'x2', groupColumn: null } });
    const mixed = valuesOnBothSides(svc, table.id, 0);
    expect(mixed).toBeGreaterThan(100);
    // Two rows per patient: every leaking patient has one row on each side.
    expect(ungrouped.holdout.leaks).toEqual([{ column: 'id', values: mixed, of: 929, rows: 2 * mixed, holdoutRows: mixed, message: expect.stringContaining('Redraw the holdout grouped by “id”') }]);
    expect(ungrouped.holdout.leaks[0]?.message).toMatch(new RegExp(`^${mixed} of 929 patients in “id” have rows on both sides of the holdout`));
    // The table view reads the same warning.
    expect((await svc.call('tables:get', { tableId: table.id, previewRows: 0 })).holdout.leaks).toHaveLength(1);

    const regrouped = await svc.call('tables:setHoldout', { tableId: table.id, holdout: { fraction: 0.3, seed: 'x3', groupColumn: 'id' } });
    expect(regrouped.holdout).toMatchObject({ groupColumn: 'id', seed: 'x3', holdoutGroups: 279, rows: 558, leaks: [] });
    expect(valuesOnBothSides(svc, table.id, 0)).toBe(0);

    const changes = await svc.call('audit:list', { action: 'table.holdout_changed' });
    const details = changes.map((c) => c.details as { from: { seed: string; groupColumn: string | null }; to: { seed: string; groupColumn: string | null } });
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: expect.objectContaining({ seed: 'airlock', groupColumn: 'id' }), to: expect.objectContaining({ seed: 'x2', groupColumn: null }) }),
        expect.objectContaining({ from: expect.objectContaining({ seed: 'x2', groupColumn: null }), to: expect.objectContaining({ seed: 'x3', groupColumn: 'id' }) }),
      ]),
    );
    await expect(svc.call('tables:setHoldout', { tableId: table.id, holdout: { fraction: 0.2, seed: 'x4', groupColumn: 'patient' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // A refused redraw leaves the split as it was.
    expect((await svc.call('tables:get', { tableId: table.id, previewRows: 0 })).holdout).toMatchObject({ seed: 'x3', rows: 558 });
    svc.end();
  });

  it('validation of a run trained before a redraw uses the auto-grouped split the run trained against', async () => {
    const { svc, db } = await stewardService();
    await ingest(svc, [`${DATA}/colon.csv`]);
    const [table] = (await svc.call('sources:list', {})).tables;
    if (!table) throw new Error('no table');
    const atImport = heldOutRows(db(), table.id);
    const draft = await svc.call('specs:draft', { tableId: table.id });
    const saved = await svc.call('specs:save', { specId: null, spec: { ...draft, rows: 100 } });
    const started = await svc.call('runs:start', { specId: saved.specId });
    const run = await (svc.current?.runs.wait(started.id) ?? Promise.reject(new Error('no session')));
    expect(run.status).toBe('done');
    const datasetId = run.datasets[0]?.id ?? -1;

    await svc.call('tables:setHoldout', { tableId: table.id, holdout: { fraction: 0.2, seed: 'later', groupColumn: null } });
    expect(heldOutRows(db(), table.id)).not.toEqual(atImport);
    const inputs = loadInputs(db(), codecOf(svc), datasetId);
    expect(inputs.split).toContain('redrawn after this run trained');
    expect(inputs.split).toContain('grouped by id');
    // The holdout validation reads is exactly the rows held out at import, in order.
    const detail = await svc.call('tables:get', { tableId: table.id, previewRows: 0 });
    const idx = inputs.header.map((h) => detail.columns.find((c) => c.name === h)?.index ?? -1);
    const rows = openedRows(svc, table.id).map((r) => r.cells);
    expect(inputs.holdout).toEqual(atImport.map((i) => idx.map((j) => rows[i]?.[j] ?? null)));
    expect(inputs.train).toHaveLength(1858 - atImport.length);
    svc.end();
  }, 60_000);

  it('a table stored before the leak check existed still shows its leaks', async () => {
    const { svc, db } = await stewardService();
    await ingest(svc, [`${DATA}/colon.csv`], { fraction: 0.2, seed: 'old', groupColumn: null });
    const [table] = (await svc.call('sources:list', {})).tables;
    if (!table) throw new Error('no table');
    // The import detected and grouped by id; undo that as an older Airlock would have stored it.
    await svc.call('tables:setHoldout', { tableId: table.id, holdout: { fraction: 0.2, seed: 'old', groupColumn: null } });
    db().prepare("UPDATE tables_ SET holdout = json_remove(holdout, '$.note', '$.leaks') WHERE id = ?").run(table.id);
    const [listed] = (await svc.call('sources:list', {})).tables;
    expect(listed?.holdout.leaks[0]).toMatchObject({ column: 'id', values: valuesOnBothSides(svc, table.id, 0) });
    svc.end();
  });

  it('the CLI shows the split, warns about leaks in `sources`, and redraws with a group column and a new seed', async () => {
    const { svc, path } = await stewardService();
    await ingest(svc, [`${DATA}/colon.csv`]);
    svc.end('logout');
    await svc.settled();
    const g = ['-w', path, '-u', ADMIN.username];

    const ungrouped = airlock([...g, 'holdout', '1', '--no-group', '--seed', 'cli-1']);
    expect(ungrouped, ungrouped.err).toMatchObject({ code: 0, out: expect.stringContaining('Holdout redrawn.') });
    expect(ungrouped.out).toMatch(/Warning \(table #1 colon\.csv\): \d+ of 929 patients in “id” have rows on both sides/);
    expect(ungrouped.out).toContain('airlock holdout 1 --group-column id');
    expect(ungrouped.out).toContain('Runs already trained on this table keep the split they trained against');
    const sources = airlock([...g, 'sources']);
    expect(sources.out).toContain('LEAKS');
    expect(sources.out).toMatch(/patients in “id” have rows on both sides/);

    const regrouped = airlock([...g, '--json', 'holdout', 'colon.csv', '--group-column', 'id', '--seed', 'cli-2']);
    expect(regrouped.code).toBe(0);
    expect((JSON.parse(regrouped.out) as { table: { holdout: unknown } }).table.holdout).toMatchObject({ seed: 'cli-2', groupColumn: 'id', fraction: 0.2, leaks: [] });
    expect(airlock([...g, 'holdout', '1', '--fraction', 'lots'])).toMatchObject({ code: 1, err: expect.stringContaining('--fraction takes a share between 0 and 0.5') });
    expect(airlock([...g, 'holdout', '7'])).toMatchObject({ code: 1, err: expect.stringContaining('[NOT_FOUND]') });
  }, 60_000);
});
