import { useEffect } from 'react';
import type { SessionInfo } from '../../electron/shared/contract';
import { api } from './api';

const POLL_MS = 15_000;
const TOUCH_THROTTLE_MS = 20_000;
const ACTIVITY_EVENTS = ['mousemove', 'keydown', 'click', 'wheel'] as const;

// Main owns the idle timer; the renderer reports activity and notices when main has locked.
export function useIdleLock(onLocked: (idled: boolean) => void, onSession: (session: SessionInfo) => void): void {
  useEffect(() => {
    let stopped = false;

    const poll = async () => {
      try {
        const { session, idleLockedAfterMinutes } = await api.session.status();
        if (stopped) return;
        if (session) onSession(session);
        else onLocked(idleLockedAfterMinutes !== null);
      } catch {
        // Lost sessions are routed by the api client; anything else is retried on the next poll.
      }
    };
    const timer = window.setInterval(() => void poll(), POLL_MS);

    // Logging in counts as activity, so the first touch waits a full throttle period.
    let lastTouch = Date.now();
    const onActivity = () => {
      const now = Date.now();
      if (now - lastTouch < TOUCH_THROTTLE_MS) return;
      lastTouch = now;
      api.session.touch().catch(() => undefined);
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { capture: true, passive: true });

    return () => {
      stopped = true;
      window.clearInterval(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [onLocked, onSession]);
}
