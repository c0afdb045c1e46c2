import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api';

const POLL_MS = 15_000;
const ACTIVITY_EVENTS = ['mousemove', 'keydown', 'click', 'wheel'] as const;

// How many requests the user can sign now, for the nav badge. Every call resets main's idle timer, so the poll
// runs only after the user did something: an unattended window still locks on time.
export function useSignableCount(enabled: boolean): { count: number; refresh: () => void } {
  const [count, setCount] = useState(0);
  const active = useRef(false);
  const seq = useRef(0);

  const refresh = useCallback(() => {
    if (!enabled) return;
    const mine = ++seq.current;
    api.approvals
      .list({})
      .then((list) => {
        if (mine === seq.current) setCount(list.filter((r) => r.canSign).length);
      })
      .catch(() => undefined); // The badge is a hint; the inbox itself reports errors.
  }, [enabled]);

  useEffect(() => {
    if (!enabled) {
      setCount(0);
      return;
    }
    refresh();
    const onActivity = () => {
      active.current = true;
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, onActivity, { capture: true, passive: true });
    const timer = window.setInterval(() => {
      if (!active.current) return;
      active.current = false;
      refresh();
    }, POLL_MS);
    return () => {
      window.clearInterval(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, onActivity, { capture: true });
    };
  }, [enabled, refresh]);

  return { count, refresh };
}
