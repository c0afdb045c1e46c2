// The shape of `window.airlock`: one named function per contract channel, grouped by domain.
// Functions resolve to an Envelope (errors as data), since contextBridge drops custom error fields.
import type { Channel } from './channels';
import type { ArgsOf, Envelope, ResultOf } from './contract';

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
// Channels whose arguments are all optional (or none) may be called with no argument.
type Fn<C extends Channel> = Record<never, never> extends ArgsOf<C>
  ? (args?: ArgsOf<C>) => Promise<Envelope<ResultOf<C>>>
  : (args: ArgsOf<C>) => Promise<Envelope<ResultOf<C>>>;

export type AirlockBridge = {
  [D in DomainOf<Channel>]: { [C in Channel as C extends `${D}:${infer V}` ? V : never]: Fn<C> };
};

export type Invoke = (channel: Channel, args: unknown) => Promise<Envelope<unknown>>;

// Builds the named functions from the channel list; there is deliberately no generic `invoke` on the result.
export function buildBridge(channels: readonly Channel[], invoke: Invoke): AirlockBridge {
  const api: Record<string, Record<string, (args?: unknown) => Promise<Envelope<unknown>>>> = {};
  for (const channel of channels) {
    const [domain, verb] = channel.split(':') as [string, string];
    api[domain] ??= {};
    api[domain][verb] = (args?: unknown) => invoke(channel, args ?? {});
  }
  return api as unknown as AirlockBridge;
}
