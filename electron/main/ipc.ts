// Registers one ipcMain handler per contract channel. Every call is checked for its sender (the app's own
// window and origin, see guardedHandler in hardening.ts) before the service validates arguments, session and role.
import type { BrowserWindow } from 'electron';
import { ipcMain } from 'electron';
import type { AirlockService } from '../core/api/service';
import { CHANNELS } from '../shared/contract';
import { guardedHandler } from './hardening';

export function registerIpc(service: AirlockService, getWindow: () => BrowserWindow | null, origins: readonly string[]): void {
  const dispatch = (channel: string, args: unknown) => service.dispatch(channel, args);
  for (const channel of CHANNELS) ipcMain.handle(channel, guardedHandler(dispatch, () => getWindow()?.webContents ?? null, origins, channel));
}
