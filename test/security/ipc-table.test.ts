// Every channel of the IPC contract, read from the contract itself (a new channel is covered the day it is added):
// (a) arguments its schema does not describe are refused with INVALID_ARGUMENT, (b) no session is refused,
// (c) every role the contract does not name is refused, (d) a foreign sender is refused before the service sees the
// call, (e) every state-changing call that succeeds leaves an audit event naming its actor.
import { describe, expect, it } from 'vitest';
import { AirlockService } from '../../electron/core/api/service';
import { APP_ORIGIN, allowedOrigins, guardedHandler, UNTRUSTED_SENDER } from '../../electron/main/hardening';
import { CHANNELS, MUTATES, ROLES, contract, type Channel, type Role } from '../../electron/shared/contract';
import { FAST_KDF } from '../helpers';
import { workingDay } from './ipc-scenario';
import { accessOf, headSeq, invalidArgs, PEOPLE, roleChannels, sessionChannels, threeRoleWorkspace, validArgs } from './ipc-world';
import { jsonSchemaOf, type JsonSchema } from './zod-args';

// Channels a user needs before logging in; anything added here is a new unauthenticated surface, so it is listed.
const PUBLIC: readonly Channel[] = ['app:info', 'workspace:probe', 'workspace:create', 'workspace:chooseFolder', 'session:login', 'session:logout', 'session:status'];

// State-changing channels the working day cannot call for success, with why; they still get (a)–(d).
const NOT_EXERCISED: Partial<Record<Channel, string>> = {
  'runs:resume':
    'needs a run cancelled after a checkpoint, i.e. at least one epoch of a neural generator (15 s or more here); test/train/tvae-runs.test.ts resumes one and checks run.resumed in the audit log',
};

// Strings in argument schemas with no maximum length (a huge value reaches the handler); each is a finding for the
// schema's owner. The test fails when a new one appears, and when one listed here gets its bound.
const KNOWN_UNBOUNDED: string[] = [];

function unboundedStrings(s: JsonSchema, path: string, out: Set<string>): Set<string> {
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.includes('string') && !s.enum && s.const === undefined && s.maxLength === undefined && s.format === undefined) out.add(path);
  for (const [k, p] of Object.entries(s.properties ?? {})) unboundedStrings(p, `${path}.${k}`, out);
  if (s.items) unboundedStrings(s.items, `${path}[]`, out);
  for (const b of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) unboundedStrings(b, path, out);
  return out;
}

const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ACCEPTED' : (r.error?.code ?? '?'));

describe('the IPC contract, channel by channel', () => {
  it('lists every channel once, with schemas, an access rule and a state-changing flag; only the lock screen’s channels are public', () => {
    expect(Object.keys(contract).sort()).toEqual([...CHANNELS].sort());
    expect(Object.keys(MUTATES).sort()).toEqual([...CHANNELS].sort());
    expect(CHANNELS.filter((c) => accessOf(c) === 'public').sort()).toEqual([...PUBLIC].sort());
    for (const c of roleChannels) expect({ c, roles: (accessOf(c) as readonly Role[]).every((r) => ROLES.includes(r)) }).toEqual({ c, roles: true });
  });

  it('(a) refuses arguments of the wrong shape, type or size with INVALID_ARGUMENT and a short sentence, on every channel', async () => {
    const svc = new AirlockService({ kdf: FAST_KDF });
    let tried = 0;
    for (const channel of CHANNELS) {
      // The generator's valid arguments really are valid, so each variant below is wrong in one way only.
      expect({ channel, parses: contract[channel].args.safeParse(validArgs(channel)).success }).toEqual({ channel, parses: true });
      const variants = invalidArgs(channel);
      expect(variants.length).toBeGreaterThanOrEqual(2);
      for (const v of variants) {
        const r = await svc.dispatch(channel, v.value);
        expect({ channel, what: v.what, code: codeOf(r) }).toEqual({ channel, what: v.what, code: 'INVALID_ARGUMENT' });
        // The refusal never echoes a huge value back.
        if (!r.ok) expect(r.error.message.length).toBeLessThan(300);
        tried += 1;
      }
    }
    expect(tried).toBeGreaterThan(CHANNELS.length * 3);
  });

  it('(a) bounds every string it accepts, except the listed findings', () => {
    const found = new Set<string>();
    for (const c of CHANNELS) unboundedStrings(jsonSchemaOf(contract[c].args), c, found);
    expect([...found].sort()).toEqual([...KNOWN_UNBOUNDED].sort());
  });

  it('(b) refuses every non-public channel without a session, and again after logout, with UNAUTHENTICATED', async () => {
    const fresh = new AirlockService({ kdf: FAST_KDF });
    for (const channel of sessionChannels) expect({ channel, code: codeOf(await fresh.dispatch(channel, validArgs(channel))) }).toEqual({ channel, code: 'UNAUTHENTICATED' });
    const { svc, as } = await threeRoleWorkspace();
    await as('admin');
    expect(await svc.dispatch('session:logout', {})).toMatchObject({ ok: true });
    for (const channel of sessionChannels) expect({ channel, code: codeOf(await svc.dispatch(channel, validArgs(channel))) }).toEqual({ channel, code: 'UNAUTHENTICATED' });
  });

  it('(c) refuses every role the contract does not name, with FORBIDDEN, and writes nothing for it', async () => {
    const { svc, as } = await threeRoleWorkspace();
    let refused = 0;
    for (const role of ROLES) {
      await as(role);
      const before = headSeq(svc);
      for (const channel of roleChannels.filter((c) => !(accessOf(c) as readonly Role[]).includes(role))) {
        expect({ role, channel, code: codeOf(await svc.dispatch(channel, validArgs(channel))) }).toEqual({ role, channel, code: 'FORBIDDEN' });
        refused += 1;
      }
      expect({ role, audit: headSeq(svc) }).toEqual({ role, audit: before });
    }
    // Each role is refused something: no role can do everything.
    expect(refused).toBeGreaterThan(roleChannels.length);
    svc.end();
    await svc.settled();
  });

  it('(c) refuses everything but choosing a password to a user whose password an admin set', async () => {
    const { svc, path, as } = await threeRoleWorkspace();
    await as('admin');
    await svc.call('users:add', { username: 'tom', displayName: 'Tom Temporary', roles: ['steward', 'reviewer'], password: 'tom temporary password' });
    await svc.call('session:login', { path, username: 'tom', password: 'tom temporary password' });
    const still = ['session:changePassword', 'session:status', 'session:touch', 'session:logout', ...PUBLIC];
    const tomMay = (c: Channel) => accessOf(c) === 'session' || (accessOf(c) as readonly Role[]).some((r) => r === 'steward' || r === 'reviewer');
    for (const channel of sessionChannels.filter((c) => !still.includes(c) && tomMay(c))) {
      expect({ channel, code: codeOf(await svc.dispatch(channel, validArgs(channel))) }).toEqual({ channel, code: 'PASSWORD_CHANGE_REQUIRED' });
    }
    svc.end();
    await svc.settled();
  });

  it('(d) refuses a call from another window, another origin or no frame on every channel, before the service sees it', async () => {
    const { svc, as } = await threeRoleWorkspace();
    await as('admin');
    await svc.call('users:setRoles', { username: PEOPLE.admin.username, roles: ['admin', 'steward', 'reviewer'] });
    const ours = { id: 'airlock window' };
    const origins = allowedOrigins(undefined);
    const reached: string[] = [];
    const dispatch = (channel: string, args: unknown) => (reached.push(channel), svc.dispatch(channel, args));
    const before = headSeq(svc);
    const foreign = [
      { sender: { id: 'another window' }, senderFrame: { url: `${APP_ORIGIN}/index.html` } },
      { sender: ours, senderFrame: { url: 'https://evil.example/airlock' } },
      { sender: ours, senderFrame: { url: 'file:///tmp/page.html' } },
      { sender: ours, senderFrame: { url: 'http://localhost:5173/' } },
      { sender: ours, senderFrame: null },
    ];
    for (const channel of CHANNELS) {
      const handler = guardedHandler(dispatch, () => ours, origins, channel);
      for (const event of foreign) expect({ channel, answer: await handler(event, validArgs(channel)) }).toEqual({ channel, answer: UNTRUSTED_SENDER });
    }
    expect(reached).toEqual([]);
    expect(headSeq(svc)).toBe(before);
    expect(svc.current?.user.username).toBe(PEOPLE.admin.username);
    // The same handler passes the window's own call through to the service.
    expect(await guardedHandler(dispatch, () => ours, origins, 'audit:verify')({ sender: ours, senderFrame: { url: `${APP_ORIGIN}/index.html` } }, {})).toMatchObject({ ok: true, value: { ok: true } });
    expect(reached).toEqual(['audit:verify']);
    svc.end();
    await svc.settled();
  });

  it('(e) writes an audit event naming the actor for every state-changing call that succeeds', async () => {
    const { steps, svc } = await workingDay();
    const log = await svc.call('audit:list', { limit: 5000 });
    const done = steps.map((s, i) => {
      // A step that ended logged out (a logout) is closed by the next step that could read the log.
      const after = s.after ?? steps.slice(i + 1).find((n) => n.after !== null)?.after ?? Number.MAX_SAFE_INTEGER;
      const actions = log.filter((e) => e.seq > s.before && e.seq <= after && e.actor === s.actor).map((e) => e.action);
      return { channel: s.channel, actor: s.actor, ok: s.result.ok, audited: actions.length > 0, actions };
    });
    const mutating = CHANNELS.filter((c) => MUTATES[c]);
    for (const d of done.filter((x) => MUTATES[x.channel])) expect({ channel: d.channel, actor: d.actor, ok: d.ok, audited: d.audited }).toEqual({ channel: d.channel, actor: d.actor, ok: true, audited: true });
    // Every state-changing channel was called for success, or is listed with the reason it is not.
    const exercised = new Set(done.filter((d) => d.ok && MUTATES[d.channel]).map((d) => d.channel));
    expect(mutating.filter((c) => !exercised.has(c)).sort()).toEqual(Object.keys(NOT_EXERCISED).sort());
    for (const c of Object.keys(NOT_EXERCISED) as Channel[]) expect({ c, mutates: MUTATES[c] }).toEqual({ c, mutates: true });
    // Read-only calls made on the way wrote nothing in their own name.
    for (const d of done.filter((x) => !MUTATES[x.channel])) expect({ channel: d.channel, actions: d.actions }).toEqual({ channel: d.channel, actions: [] });
    expect((await svc.call('audit:verify', {})).ok).toBe(true);
    svc.end();
    await svc.settled();
  }, 120_000);
});
