import { useCallback, useEffect, useState } from 'react';
import type { RunView } from '../../../../electron/shared/train-schemas';
import { api, errorMessage } from '../../api';

const POLL_MS = 500;

// A run, re-read every 500 ms while it is running; `replace` takes a fresh copy from an action (cancel, resume).
export function useRun(runId: number) {
  const [run, setRun] = useState<RunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const r = await api.runs.get({ runId });
        if (cancelled) return;
        setRun(r);
        setError(null);
        if (r.status === 'running') timer = setTimeout(() => void load(), POLL_MS);
      } catch (e) {
        if (!cancelled) setError(errorMessage(e));
      }
    };
    void load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [runId, generation]);

  const replace = useCallback((r: RunView) => {
    setRun(r);
    // Restart polling: a resumed run is running again.
    setGeneration((g) => g + 1);
  }, []);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  return { run, error, replace, reload };
}
