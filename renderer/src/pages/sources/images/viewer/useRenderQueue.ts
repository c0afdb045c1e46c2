import { useCallback, useEffect, useRef, useState } from 'react';
import type { RenderResult, WindowRequest } from '../../../../../../electron/shared/ingest-schemas';
import { api, errorMessage } from '../../../../api';

export interface RenderArgs {
  instanceId: number;
  frame: number;
  window: WindowRequest;
}

export interface Rendered {
  request: WindowRequest;
  args: RenderArgs;
  result: RenderResult;
}

// Largest side requested from main: enough for zooming in on CT/MR, bounded for large radiographs.
const MAX_SIZE = 2048;

// One render in flight at a time; requests made meanwhile collapse into the latest, so dragging the window
// or spinning the wheel never queues stale frames behind the one the user is looking for.
export function useRenderQueue() {
  const [last, setLast] = useState<Rendered | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const pending = useRef<RenderArgs | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const request = useCallback((args: RenderArgs) => {
    const run = (a: RenderArgs) => {
      inFlight.current = true;
      setBusy(true);
      api.dicom
        .render({ ...a, maxSize: MAX_SIZE })
        .then((result) => {
          if (!mounted.current) return;
          setLast({ request: a.window, args: a, result });
          setError(null);
        })
        .catch((e: unknown) => {
          if (mounted.current) setError(errorMessage(e));
        })
        .finally(() => {
          inFlight.current = false;
          const next = pending.current;
          pending.current = null;
          if (next && mounted.current) run(next);
          else if (mounted.current) setBusy(false);
        });
    };
    if (inFlight.current) pending.current = args;
    else run(args);
  }, []);

  return { last, error, busy, request };
}
