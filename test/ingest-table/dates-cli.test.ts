// The CLI side of "date?": `airlock columns TABLE` lists it, `--date COLUMN` confirms it (audited), `--not-date`
// rejects it, and `spec show` prints each column's treatment. Run in-process over a real workspace.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../electron/cli/index';
import { AirlockService } from '../../electron/core/api/service';
import { ADMIN, FAST_KDF, tempDir } from '../helpers';
import { writeTemp } from './table-helpers';

function csv(): string {
  const lines = ['pid,admitted,visit,crp'];
  for (let i = 0; i < 120; i++) lines.push([`P${i}`, `20${String(10 + (i % 9)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`, 12000 + ((i % 80) * 37), i % 50].join(','));
  return `${lines.join('\n')}\n`;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  delete process.env.AIRLOCK_PASSWORD;
});

describe('airlock columns', () => {
  it('shows date?, confirms and rejects it with an audit event, and spec show prints the treatments', async () => {
    const ws = tempDir();
    const svc = new AirlockService({ kdf: FAST_KDF });
    await svc.call('workspace:create', { path: ws, ...ADMIN });
    await svc.call('users:setRoles', { username: 'ada', roles: ['admin', 'steward'] });
    const job = await svc.call('ingest:start', { paths: [writeTemp('visits.csv', csv())] });
    await svc.current?.imports.wait(job.id);
    svc.end();
    await svc.settled();
    process.env.AIRLOCK_PASSWORD = ADMIN.password;
    const g = ['-w', ws, '-u', 'ada'];

    const listed = await cli([...g, 'columns', '1']);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toMatch(/visit\s*│\s*integer\s*│\s*│\s*date\? \(days since 1960-01-01/);
    expect(listed.out).toContain('--date COLUMN');

    const confirmed = await cli([...g, '--json', 'columns', '1', '--date', 'visit']);
    expect(confirmed.code, confirmed.err).toBe(0);
    const visit = (JSON.parse(confirmed.out) as { name: string; date?: { status: string }; phi: { kind: string | null } }[]).find((c) => c.name === 'visit');
    expect(visit).toMatchObject({ date: { status: 'confirmed' }, phi: { kind: 'date' } });

    expect(await cli([...g, 'columns', '1', '--date', 'crp'])).toMatchObject({ code: 1, err: expect.stringContaining('was not offered as a date') });
    expect(await cli([...g, 'columns', '1', '--date', 'crp', '--form', 'days:1066-10-14'])).toMatchObject({ code: 1, err: expect.stringContaining('--form takes one of') });
    const rejected = await cli([...g, 'columns', '1', '--not-date', 'visit']);
    expect(rejected.out).toMatch(/not dates \(said by a steward\)/);
    const audit = await cli([...g, '--json', 'audit', 'list', '--action', 'table.column_date_set']);
    expect((JSON.parse(audit.out) as unknown[]).length).toBe(2);

    await svc.call('session:login', { path: ws, username: 'ada', password: ADMIN.password });
    const draft = await svc.call('specs:draft', { tableId: 1 });
    await svc.call('specs:save', { specId: null, spec: draft });
    svc.end();
    await svc.settled();
    const shown = await cli([...g, 'spec', 'show', '1']);
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(/Column treatments:\n\s+pid\s+drop\n\s+admitted\s+generalise to year\n\s+visit\s+synthesise\n\s+crp\s+synthesise/);
  });
});
