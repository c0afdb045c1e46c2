// Crash safety: a child process imports tables and DICOM, trains TVAE with a checkpoint every epoch, and takes dataset D
// through sign-off again and again (request, approval, export, rejection) and rotates the database key (tmp disabled
// or re-enabled), acknowledging each committed step; the parent SIGKILLs it at random moments (30 in CI, 500 under
// AIRLOCK_STRESS=1). After each kill: the store opens for every remaining user and not for a disabled one, integrity
// and foreign keys hold, every acknowledged step is there, an export cut short is absent or refused by verify (never
// accepted), every acknowledged bundle verifies, the audit chain verifies against its checkpoints and every bundle's,
// and interrupted runs are marked and resumable.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { readBundleCheckpoint } from '../../electron/core/export/bundle/read-checkpoint';
import { verifyWorkspaceAudit } from '../../electron/core/govern/audit-session';
import type { KnownCheckpoint } from '../../electron/core/govern/checkpoints';
import { FAST_KDF, tempDir } from '../helpers';
import { recordTrial } from '../stress-report';
import { checkStore, checkUsers, halfExport, rekeyLeft, type Acked, type HalfExport } from './crash-checks';
import { exportableWorkspace } from './crash-fixture';
import { KINDS, LOOP, PASSWORDS, type Kind } from './crash-people';

// 30 in CI (about a minute here: each kill costs a short life and the checks); `npm run stress` does 500.
const KILLS = Number(process.env.AIRLOCK_CRASH_KILLS ?? (process.env.AIRLOCK_STRESS === '1' ? 500 : 30));
// Until a kind of step was seen to finish, a kill comes up to this long after the life's first step began.
const LIFE_MS = Number(process.env.AIRLOCK_CRASH_LIFE_MS ?? 1500);
const CHILD = join(process.cwd(), 'test/security/crash-child.ts');
// The acknowledgements that end a step (a run's spec is acknowledged before its training ends).
const TERMINAL = new Set<string>(KINDS);

interface Life {
  /** The step the kill landed in, or 'between' (logins, state reads, between steps). */
  killedIn: Kind | 'between';
  /** The destination of an export the kill cut short. */
  cutExport: string | null;
}

/** The longest each kind of step took so far (BEGIN to ACK), to aim the kills inside steps. */
const took = new Map<Kind, number>();
/** How long the parent waited for each child to be ready (what its head start did not hide). */
const startup: number[] = [];

type Child = ReturnType<typeof spawn>;

/** A child started ahead of time: it loads its modules while the one before it lives, and waits for "go". */
function spare(path: string, scratch: string, datasetId: number, verdict: string): { child: Child; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, scratch, String(datasetId), verdict], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      if (!d.toString().includes('READY')) return;
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
      resolve();
    };
    const onErr = (d: Buffer) => void (stderr += d.toString());
    const onExit = (code: number | null) => reject(new Error(`the child ended before it was ready (code ${code}): ${stderr}`));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
  // Killed unused at the end: that rejection is expected.
  ready.catch(() => undefined);
  return { child, ready };
}

// Lets the child start at step `start`, kills it at a random moment, most often inside its first step (up to 1.3 times
// the longest that kind took), and records what it acknowledged.
async function runAndKill(next: ReturnType<typeof spare>, start: number, fraction: number, acked: Acked): Promise<Life> {
  const { child } = next;
  const waitFrom = Date.now();
  await next.ready;
  startup.push(Date.now() - waitFrom);
  return new Promise((resolve, reject) => {
    let out = '';
    let stderr = '';
    let begun: { kind: Kind; arg: string; at: number } | null = null;
    let timer: NodeJS.Timeout | null = null;
    const kill = (ms: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => child.kill('SIGKILL'), ms);
    };
    let aimed = false;
    kill(LIFE_MS * 6); // should no step begin
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const [tag, what, a, b, c] = out.slice(0, nl).split(' ');
        out = out.slice(nl + 1);
        if (tag === 'BEGIN') {
          begun = { kind: what as Kind, arg: a ?? '', at: Date.now() };
          // One life in five lets its first step finish (a kind never seen to finish, a run, gets long enough to), so
          // the work moves on and the kill lands in what follows; the others die inside the step.
          const known = took.get(begun.kind);
          // An export writes its files at the end (after the password, the gate and the card): aim there more often.
          const share = begun.kind === 'export' ? 0.4 + 0.9 * fraction : 1.3 * fraction;
          if (!aimed) kill(fraction > 0.8 ? Math.floor(1.5 * (known ?? LIFE_MS * 3)) : Math.floor(share * (known ?? LIFE_MS)));
          aimed = true;
        } else if (tag === 'ACK') {
          if (what === 'table') acked.tables.set(a ?? '', Number(b));
          else if (what === 'spec') acked.specs.add(Number(a));
          else if (what === 'run') acked.runs.set(Number(a), Number(b));
          else if (what === 'request') acked.requests.add(Number(a));
          else if (what === 'sign') acked.signatures.set(Number(b), Number(a));
          else if (what === 'reject') acked.rejections.add(Number(a));
          else if (what === 'export') acked.exports.set(a ?? '', { bundleId: b ?? '', zip: c === 'zip', checked: false });
          else if (what === 'rekey') acked.tmp = a === 'active' ? 'active' : 'disabled';
          if (what && TERMINAL.has(what)) {
            acked.counts[what as Kind] += 1;
            if (begun) took.set(begun.kind, Math.max(took.get(begun.kind) ?? 0, Date.now() - begun.at));
            begun = null;
          }
        }
      }
    });
    child.stderr?.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      const cut = begun as { kind: Kind; arg: string } | null;
      if (signal !== 'SIGKILL') reject(new Error(`the child ended by itself (code ${code}): ${stderr}`));
      else resolve({ killedIn: cut?.kind ?? 'between', cutExport: cut?.kind === 'export' ? cut.arg : null });
    });
    child.stdin?.write(`go ${start}\n`);
  });
}

const zeroes = (): Record<Kind, number> => Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;

describe('crash safety under SIGKILL', () => {
  it(`survives ${KILLS} kills at random moments with every acknowledged step intact and the audit chain verifying`, async () => {
    const began = Date.now();
    const path = tempDir();
    const scratch = tempDir();
    const fx = await exportableWorkspace(path, scratch);
    const fixtureMs = Date.now() - began;
    const svc = new AirlockService({ kdf: FAST_KDF });
    const acked: Acked = { tables: new Map(), specs: new Set(), runs: new Map(), requests: new Set(), signatures: new Map(), rejections: new Set(), exports: new Map(), tmp: 'active', counts: zeroes() };
    const kills: Record<Kind | 'between', number> = { ...zeroes(), between: 0 };
    const cut: Record<HalfExport, number> = { absent: 0, refused: 0, 'complete, recorded': 0, 'complete, not recorded': 0 };
    const anchors: KnownCheckpoint[] = [];
    // A fixed sequence of moments (a seeded LCG), so a failure can be replayed.
    let rnd = Number(process.env.AIRLOCK_CRASH_SEED ?? 20261202);
    const next = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const interrupted = new Set<number>();
    let settledRekeys = 0;
    let waiting = spare(path, scratch, fx.datasetId, fx.verdict);
    for (let k = 0; k < KILLS; k++) {
      // Each life starts at another kind of step, so kills land in all of them; its numbers never repeat.
      const start = k * 1000 * LOOP.length + (k % LOOP.length);
      const living = runAndKill(waiting, start, next(), acked);
      // The next child loads its modules while this one lives and its kill is checked.
      waiting = spare(path, scratch, fx.datasetId, fx.verdict);
      const life = await living;
      kills[life.killedIn] += 1;
      const where = `after kill ${k + 1} (in ${life.killedIn})`;
      // Read before any login: the first one settles a key change the kill left half done.
      if (rekeyLeft(path)) settledRekeys += 1;
      const recorded = await checkStore(path, acked, where, (dir) => anchors.push(readBundleCheckpoint(dir)));
      await checkUsers(path, acked, life.killedIn === 'rekey', where);
      if (life.cutExport) for (const outcome of halfExport(recorded, life.cutExport)) cut[outcome] += 1;
      // Logging in recovers interrupted work (marked, audited), then the whole chain must verify, also against the bundles.
      await svc.call('session:login', { path, username: 'sam', password: PASSWORDS.sam });
      const runs = await svc.call('runs:list', {});
      expect(runs.filter((r) => r.status === 'running')).toEqual([]);
      for (const r of runs.filter((x) => x.error?.code === 'INTERRUPTED')) {
        interrupted.add(r.id);
        if (r.epochsDone > 0) expect(r.canResume, `run #${r.id} interrupted after a checkpoint`).toBe(true);
      }
      // Each key change a kill left half done was settled at the next login, and the chain says how.
      const settles = [...(await svc.call('audit:list', { action: 'store.rekey_finished', limit: 5000 })).filter((e) => e.details.recovered === true), ...(await svc.call('audit:list', { action: 'store.rekey_abandoned', limit: 5000 }))];
      expect(settles.length, `${where}: settled key changes in the audit trail`).toBe(settledRekeys);
      const own = await svc.call('audit:verify', {});
      const broken = own.brokenAt === null ? null : svc.current!.ws.db.prepare('SELECT seq, actor, action, subject FROM audit_log WHERE seq = ?').get(own.brokenAt);
      expect(own, `${where}: ${own.reason ?? ''} ${JSON.stringify(broken)}`).toMatchObject({ ok: true });
      const held = verifyWorkspaceAudit(svc.current!.ws, anchors);
      expect(held, `${where}, against ${anchors.length} bundles' checkpoints: ${held.reason ?? ''}`).toMatchObject({ ok: true });
      svc.end('logout');
      await svc.settled();
    }
    waiting.child.kill('SIGKILL');
    const seconds = ((Date.now() - began) / 1000).toFixed(0);
    const list = (r: Record<string, number>) => Object.entries(r).map(([key, n]) => `${key} ${n}`).join(', ');
    process.stdout.write(
      `crash stress: ${KILLS} kills in ${seconds} s (fixture ${(fixtureMs / 1000).toFixed(0)} s, waited for a child ${(startup.reduce((a, b) => a + b, 0) / Math.max(1, startup.length)).toFixed(0)} ms on average)\n` +
        `  killed during: ${list(kills)}\n` +
        `  acknowledged: ${list(acked.counts)}\n` +
        `  exports cut short: ${list(cut)}; ${acked.exports.size} acknowledged bundles verified; ${settledRekeys} interrupted rekeys settled at the next login; ${interrupted.size} runs interrupted\n`,
    );
    recordTrial({
      what: 'Crash safety (SIGKILL)',
      how: `a child imports, trains, requests, approves, exports, rejects and rekeys in a loop, SIGKILLed at random moments (killed during: ${list(kills)})`,
      count: KILLS,
      held: `after every kill: the store opened (after a kill in a rekey, for every remaining user, and never for the disabled one), integrity_check ok, foreign_key_check empty, every acknowledged step present (${list(acked.counts)}), ${acked.exports.size} acknowledged bundles verified, exports cut short absent or refused (${list(cut)}), audit chain verified against its checkpoints and every bundle's, ${interrupted.size} interrupted runs marked and resumable`,
    });
    expect(acked.tables.size).toBeGreaterThan(0);
    // At full size the lives reached the sign-off and the rekeys, and kills landed inside them.
    if (KILLS >= 30) {
      expect(acked.counts.export * acked.counts.rekey).toBeGreaterThan(0);
      expect(kills.export + kills.rekey + kills.sign + kills.request + kills.reject).toBeGreaterThan(0);
    }
  }, 3_600_000);
});
