import { useCallback, useEffect, useRef, useState } from 'react';
import type { HoldoutSpec, ImportJobView } from '../../../../../electron/shared/ingest-schemas';
import { ApiError, api, errorMessage } from '../../../api';

const POLL_MS = 300;

// Outlives the page, so leaving Sources mid-import and coming back picks the job up again. Only the id is
// kept: the job itself (with its file paths) lives in main, and a new session answers NOT_FOUND.
let lastJobId: number | null = null;

export function useImportJob(onFinished: (job: ImportJobView) => void) {
  const [job, setJob] = useState<ImportJobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const mounted = useRef(true);
  const reported = useRef<number | null>(null);
  const onFinishedRef = useRef(onFinished);

  useEffect(() => {
    onFinishedRef.current = onFinished;
  }, [onFinished]);

  const settle = useCallback((view: ImportJobView) => {
    window.clearTimeout(timer.current);
    setJob(view);
    if (view.status === 'running' || reported.current === view.id) return;
    reported.current = view.id;
    onFinishedRef.current(view);
  }, []);

  const poll = useCallback(
    (jobId: number) => {
      const tick = () => {
        timer.current = window.setTimeout(() => {
          api.ingest
            .status({ jobId })
            .then((view) => {
              if (!mounted.current) return;
              settle(view);
              if (view.status === 'running') tick();
            })
            .catch((e: unknown) => {
              if (mounted.current) setError(`Airlock lost track of the import’s progress: ${errorMessage(e)}`);
            });
        }, POLL_MS);
      };
      window.clearTimeout(timer.current);
      tick();
    },
    [settle],
  );

  useEffect(() => {
    mounted.current = true;
    const resume = lastJobId;
    if (resume !== null) {
      api.ingest
        .status({ jobId: resume })
        .then((view) => {
          if (!mounted.current) return;
          // Its end was already reported when it finished on an earlier visit.
          if (view.status !== 'running') reported.current = view.id;
          setJob(view);
          if (view.status === 'running') poll(view.id);
        })
        .catch((e: unknown) => {
          if (e instanceof ApiError && e.code === 'NOT_FOUND') lastJobId = null;
        });
    }
    return () => {
      mounted.current = false;
      window.clearTimeout(timer.current);
    };
  }, [poll]);

  const start = useCallback(
    async (paths: string[], holdout: HoldoutSpec) => {
      setError(null);
      const view = await api.ingest.start({ paths, holdout });
      lastJobId = view.id;
      settle(view);
      if (view.status === 'running') poll(view.id);
    },
    [poll, settle],
  );

  const cancel = useCallback(async () => {
    if (!job) return;
    setCancelling(true);
    try {
      // Resolves once the file in hand has been rolled back.
      const view = await api.ingest.cancel({ jobId: job.id });
      if (mounted.current) settle(view);
    } catch (e) {
      if (mounted.current) setError(`The import could not be cancelled: ${errorMessage(e)}`);
    } finally {
      if (mounted.current) setCancelling(false);
    }
  }, [job, settle]);

  return { job, error, cancelling, start, cancel };
}
