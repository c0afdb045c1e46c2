import type { AirlockBridge } from '../../electron/shared/bridge';

declare global {
  interface Window {
    airlock: AirlockBridge;
  }
}

export {};
