// Registers one ipcMain handler per contract channel. Every call is checked for its sender (the app's own
// window and origin) before the service validates arguments, session and role.
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { ipcMain } from 'electron';
import type { AirlockService } from '../core/api/service';
import { CHANNELS, type Envelope } from '../shared/contract';
import { isTrustedSender } from './hardening';

export function registerIpc(service: AirlockService, getWindow: () => BrowserWindow | null, origins: readonly string[]): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, args: unknown): Promise<Envelope<unknown>> => {
      const win = getWindow();
      if (!win || event.sender !== win.webContents || !isTrustedSender(event.senderFrame?.url, origins)) {
        return { ok: false, error: { code: 'UNTRUSTED_SENDER', message: 'This request did not come from the Airlock window and was refused.' } };
      }
      return service.dispatch(channel, args);
    });
  }
}
