// The headless pipeline makes no connection attempt. Its CLI commands run (one process, see no-network-driver.mjs)
// in a network namespace of their own (nothing to reach), under strace (every socket any thread or native library
// opens is seen), with a preload that makes Node's network functions throw and records who called them, in the
// main thread and in every worker. Each layer is used where the machine allows it (CI runs as root: all three).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';

const PRELOAD = join(process.cwd(), 'test/security/no-network-preload.mjs');
const DRIVER = join(process.cwd(), 'test/security/no-network-driver.mjs');
const CSV = join(process.cwd(), 'resources/sample/tables/pbc.csv');

const works = (cmd: string[]) => spawnSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' }).status === 0;
const HAVE_UNSHARE = works(['unshare', '-n', 'true']);
const HAVE_STRACE = works(['strace', '-f', '-qq', '--seccomp-bpf', '-o', '/dev/null', 'true']);

// Sockets that can reach another machine (or a local service over IP): anything but a Unix socket or netlink.
const NETWORK_SYSCALL = /\b(socket\((?!AF_UNIX|AF_NETLINK|AF_LOCAL)|connect\(\d+, \{sa_family=AF_INET6?|sendto\(\d+, .*sa_family=AF_INET6?|sendmsg\(\d+, \{msg_name=\{sa_family=AF_INET6?)/;

// The command wrapped in every layer the machine offers; `name` keys its logs.
function isolated(logs: string, name: string, command: string[]): string[] {
  const inNamespace = HAVE_UNSHARE ? ['unshare', '-n', ...command] : command;
  return HAVE_STRACE ? ['strace', '-f', '-qq', '--seccomp-bpf', '-e', 'trace=socket,connect,sendto,sendmsg', '-o', join(logs, `${name}.strace`), ...inNamespace] : inNamespace;
}

interface StepResult {
  step: string;
  code: number;
  out: string;
  err: string;
  ms: number;
}

function attempts(logs: string) {
  const js: { step: string; kind: string; detail?: string; stack?: string }[] = [];
  const loaded = new Set<string>();
  const sys: { step: string; line: string }[] = [];
  for (const f of readdirSync(logs)) {
    const step = f.replace(/\..*$/, '');
    if (f.endsWith('.net.jsonl')) {
      for (const line of readFileSync(join(logs, f), 'utf8').split('\n').filter(Boolean)) {
        const e = JSON.parse(line) as { kind: string; where: string; detail?: string; stack?: string };
        if (e.kind === 'loaded') loaded.add(`${step} ${e.where.includes('thread') ? 'worker' : 'main'}`);
        else js.push({ step, kind: e.kind, detail: e.detail, stack: e.stack });
      }
    } else if (f.endsWith('.strace')) {
      for (const line of readFileSync(join(logs, f), 'utf8').split('\n')) if (NETWORK_SYSCALL.test(line)) sys.push({ step, line });
    }
  }
  return { js, sys, loaded };
}

describe('no network', () => {
  it('runs init, import, spec, a copula, validation, request, approval, export and verify without one connection attempt', () => {
    const logs = tempDir('airlock-net-');
    const work = tempDir();
    // The first 150 patients of the PBC sample keep training and validation to a few seconds.
    const csv = join(work, 'pbc-150.csv');
    writeFileSync(csv, `${readFileSync(CSV, 'utf8').split('\n').slice(0, 151).join('\n')}\n`);
    const plan = { ws: join(work, 'ws'), csv, specFile: join(work, 'spec.json'), bundle: join(work, 'bundle'), results: join(work, 'results.json') };
    const command = isolated(logs, 'pipeline', [process.execPath, '--import', PRELOAD, DRIVER, JSON.stringify(plan)]);
    const r = spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', input: '', env: { ...process.env, NO_COLOR: '1', AIRLOCK_NET_LOG: join(logs, 'pipeline.net.jsonl') } });
    expect({ code: r.status, err: r.status === 0 ? '' : r.stderr }).toEqual({ code: 0, err: '' });
    const steps = JSON.parse(readFileSync(plan.results, 'utf8')) as StepResult[];
    // 6 is a finished validation whose verdict is not "pass": a reviewer may still accept it with an exception.
    const expected = (step: string) => (step === 'validate' ? steps.find((x) => x.step === step)?.code === 6 ? 6 : 0 : 0);
    expect(steps.map((x) => ({ step: x.step, code: x.code, err: x.code === expected(x.step) ? '' : x.err }))).toEqual(
      ['init', 'add steward', 'add reviewer', 'ingest', 'spec draft', 'spec create', 'train', 'validate', 'request', 'inbox', 'approve', 'export', 'verify'].map((step) => ({ step, code: expected(step), err: '' })),
    );
    expect(steps.at(-1)?.out).toContain('signed by Rita Reviewer (rita)');
    expect(existsSync(`${plan.bundle}.zip`)).toBe(true);

    const { js, sys, loaded } = attempts(logs);
    // The recording layer really was inside the process and inside its worker threads (training, validation).
    expect(loaded.has('pipeline main')).toBe(true);
    expect(loaded.has('pipeline worker')).toBe(true);
    // The one local socket is tsx looking for a parent watcher's pipe (the CLI runs from source); never the network.
    expect(js.filter((e) => !(e.kind === 'unix connect' && /\/tsx-[^/]+\/\d+\.pipe$/.test(e.detail ?? '')))).toEqual([]);
    if (HAVE_STRACE) expect(existsSync(join(logs, 'pipeline.strace'))).toBe(true);
    expect(sys).toEqual([]);
  }, 180_000);

  it('would see an attempt: the same layers record a process that does try to connect', () => {
    const logs = tempDir('airlock-net-');
    const netLog = join(logs, 'probe.net.jsonl');
    const code = "fetch('https://example.org/').catch(() => {}); require('node:net').connect(443, '203.0.113.7').on('error', () => {});";
    const inner = [process.execPath, '--import', PRELOAD, '-e', code];
    const isolated = HAVE_UNSHARE ? ['unshare', '-n', ...inner] : inner;
    const traced = HAVE_STRACE ? ['strace', '-f', '-qq', '--seccomp-bpf', '-e', 'trace=socket,connect,sendto,sendmsg', '-o', join(logs, 'probe.strace'), ...isolated] : isolated;
    spawnSync(traced[0]!, traced.slice(1), { env: { ...process.env, AIRLOCK_NET_LOG: netLog } });
    const { js } = attempts(logs);
    expect(js.map((e) => `${e.kind} ${e.detail ?? ''}`)).toEqual(['fetch https://example.org/', 'tcp connect 203.0.113.7:443']);
    // Underneath the preload, a raw socket from native code is still caught by strace.
    if (HAVE_STRACE) {
      const raw = join(logs, 'raw.strace');
      spawnSync('strace', ['-f', '-qq', '--seccomp-bpf', '-e', 'trace=socket,connect,sendto,sendmsg', '-o', raw, ...(HAVE_UNSHARE ? ['unshare', '-n'] : []), '/usr/bin/python3', '-c', "import socket\ntry: socket.create_connection(('203.0.113.7', 443), 1)\nexcept OSError: pass"]);
      expect(readFileSync(raw, 'utf8').split('\n').some((l) => NETWORK_SYSCALL.test(l))).toBe(true);
    }
  });
});
