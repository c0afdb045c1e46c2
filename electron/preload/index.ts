// The preload exposes `window.airlock`: one named function per contract channel, nothing generic.
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from '../shared/bridge';
import { CHANNELS } from '../shared/channels';
import type { Envelope } from '../shared/contract';

const api = buildBridge(CHANNELS, (channel, args) => ipcRenderer.invoke(channel, args) as Promise<Envelope<unknown>>);
contextBridge.exposeInMainWorld('airlock', api);
