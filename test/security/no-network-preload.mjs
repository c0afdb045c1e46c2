// Loaded with `node --import` into every CLI process (and its worker threads) by test/security/no-network.test.ts:
// every way Node can reach a network (TCP, TLS, UDP, DNS, HTTP, fetch, WebSocket) is made to throw, and each attempt
// is appended to the file named by AIRLOCK_NET_LOG, so the test can tell "nothing tried" from "something failed".
import { appendFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { pathToFileURL } from 'node:url';
import workerThreads, { isMainThread, threadId } from 'node:worker_threads';
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

const logFile = process.env.AIRLOCK_NET_LOG;

function record(kind, detail) {
  const where = `${process.pid}${isMainThread ? '' : `/thread ${threadId}`}`;
  const line = JSON.stringify({ kind, detail: String(detail).slice(0, 200), where, stack: new Error().stack?.split('\n').slice(3, 8).join(' | ') });
  if (logFile) appendFileSync(logFile, `${line}\n`);
  const err = new Error(`Airlock's no-network test refused ${kind} ${detail}`);
  err.code = 'ENETUNREACH';
  return err;
}

function describeTarget(args) {
  const [first, second] = args;
  if (Array.isArray(first)) return describeTarget(first);
  if (first && typeof first === 'object') return first.path ?? `${first.host ?? first.hostname ?? 'localhost'}:${first.port ?? ''}`;
  if (typeof first === 'string' && Number.isNaN(Number(first))) return first;
  return `${typeof second === 'string' ? second : 'localhost'}:${first}`;
}

const deny = (kind, target = describeTarget) =>
  function denied(...args) {
    throw record(kind, target(args));
  };

// A Unix socket is a local file, not the network: recorded (tsx, which runs the CLI from source, looks for its
// parent's pipe) and let through, so the test can name every one.
const isUnixTarget = (args) => {
  const [first] = Array.isArray(args[0]) ? args[0] : args;
  return (typeof first === 'object' && first !== null && typeof first.path === 'string') || (typeof first === 'string' && first.includes('/'));
};
const guard = (original) =>
  function guarded(...args) {
    if (isUnixTarget(args)) {
      record('unix connect', describeTarget(args));
      return original.apply(this, args);
    }
    throw record('tcp connect', describeTarget(args));
  };
net.Socket.prototype.connect = guard(net.Socket.prototype.connect);
net.connect = guard(net.connect);
net.createConnection = guard(net.createConnection);
tls.connect = deny('tls connect');
dgram.Socket.prototype.send = deny('udp send', () => 'datagram');
dgram.Socket.prototype.connect = deny('udp connect');
for (const mod of [http, https]) {
  mod.request = deny(`${mod === http ? 'http' : 'https'} request`, (args) => (typeof args[0] === 'string' || args[0] instanceof URL ? String(args[0]) : describeTarget(args)));
  mod.get = mod.request;
}
for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'reverse']) {
  if (typeof dns[name] === 'function') dns[name] = deny(`dns ${name}`, (args) => String(args[0]));
  if (typeof dns.promises[name] === 'function') dns.promises[name] = deny(`dns ${name}`, (args) => String(args[0]));
  if (typeof dns.Resolver.prototype[name] === 'function') dns.Resolver.prototype[name] = deny(`dns ${name}`, (args) => String(args[0]));
}
globalThis.fetch = (input) => Promise.reject(record('fetch', input instanceof Request ? input.url : String(input)));
if (typeof globalThis.WebSocket === 'function') {
  globalThis.WebSocket = function WebSocket(url) {
    throw record('websocket', url);
  };
}
// Worker threads do not get `--import`: each worker is started through a bootstrap that loads this file first.
const OriginalWorker = workerThreads.Worker;
class RecordingWorker extends OriginalWorker {
  constructor(entry, options = {}) {
    const code = options.eval ? String(entry) : `import(${JSON.stringify(entry instanceof URL ? entry.href : pathToFileURL(String(entry)).href)})`;
    super(`import(${JSON.stringify(import.meta.url)}).then(() => { ${code} })`, { ...options, eval: true });
  }
}
workerThreads.Worker = RecordingWorker;
syncBuiltinESMExports();

if (logFile) appendFileSync(logFile, `${JSON.stringify({ kind: 'loaded', where: `${process.pid}${isMainThread ? '' : `/thread ${threadId}`}` })}\n`);
