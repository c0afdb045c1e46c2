// Typed client over `window.airlock`: unwraps envelopes so callers get values or a thrown ApiError.
import type { AirlockBridge } from '../../electron/shared/bridge';
import { CHANNELS } from '../../electron/shared/channels';
import type { Envelope, ErrorCode } from '../../electron/shared/contract';

export class ApiError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

export type AuthLostCode = 'SESSION_EXPIRED' | 'UNAUTHENTICATED';
type AuthLostListener = (code: AuthLostCode) => void;
const authLostListeners = new Set<AuthLostListener>();

// The app shell subscribes once; any call that finds the session gone sends the user back to the lock screen.
export function onAuthLost(listener: AuthLostListener): () => void {
  authLostListeners.add(listener);
  return () => authLostListeners.delete(listener);
}

export function isAuthLost(code: ErrorCode): code is AuthLostCode {
  return code === 'SESSION_EXPIRED' || code === 'UNAUTHENTICATED';
}

export async function unwrap<T>(pending: Promise<Envelope<T>>): Promise<T> {
  let envelope: Envelope<T>;
  try {
    envelope = await pending;
  } catch {
    // Only a broken bridge rejects; channel errors always arrive as envelopes.
    throw new ApiError('INTERNAL', 'Airlock could not reach its background process. Restart the application.');
  }
  if (envelope.ok) return envelope.value;
  const { code, message } = envelope.error;
  if (isAuthLost(code)) for (const listener of authLostListeners) listener(code);
  throw new ApiError(code, message);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again, and contact your administrator if it keeps happening.';
}

type Unwrapped<F> = F extends (...args: infer P) => Promise<Envelope<infer R>>
  ? P extends [infer A]
    ? // No-argument channels are typed `Record<string, never>` by the bridge; let callers omit the argument.
      Record<never, never> extends A
      ? (args?: A) => Promise<R>
      : (args: A) => Promise<R>
    : (...args: P) => Promise<R>
  : never;

// Same shape as `window.airlock`, but each function resolves to the value or throws ApiError.
export type AirlockApi = {
  [D in keyof AirlockBridge]: { [V in keyof AirlockBridge[D]]: Unwrapped<AirlockBridge[D][V]> };
};

type LooseBridge = Record<string, Record<string, ((args: unknown) => Promise<Envelope<unknown>>) | undefined> | undefined>;

// Built from the channel list, so channels added to the contract are usable without touching this file.
// `window.airlock` is read at call time, so a bridge installed after this module loads (tests) still works.
function buildApi(): AirlockApi {
  const client: Record<string, Record<string, (args?: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [domain, verb] = channel.split(':') as [string, string];
    (client[domain] ??= {})[verb] = (args?: unknown) => {
      const fn = (window.airlock as unknown as LooseBridge)[domain]?.[verb];
      if (!fn) return Promise.reject(new ApiError('NOT_AVAILABLE', 'This version of Airlock cannot do that yet. Restart the application.'));
      return unwrap(fn(args ?? {}));
    };
  }
  return client as unknown as AirlockApi;
}

export const api = buildApi();
