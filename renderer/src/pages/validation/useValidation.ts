import { useCallback, useEffect, useState } from 'react';
import type { ResultOf } from '../../../../electron/shared/contract';
import { api, errorMessage } from '../../api';

const POLL_MS = 500;

export type ValidationDetail = ResultOf<'validations:get'>;

// A validation, re-read every 500 ms while it runs; `replace` takes a fresh copy from an action (cancel).
export function useValidation(validationId: number) {
  const [detail, setDetail] = useState<ValidationDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const d = await api.validations.get({ validationId });
        if (cancelled) return;
        setDetail(d);
        setError(null);
        if (d.validation.status === 'running') timer = setTimeout(() => void load(), POLL_MS);
      } catch (e) {
        if (cancelled) return;
        setError(errorMessage(e));
        // A missed poll is retried, slower: the validation goes on in its worker either way.
        timer = setTimeout(() => void load(), POLL_MS * 4);
      }
    };
    void load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [validationId, generation]);

  const replace = useCallback((validation: ValidationDetail['validation']) => {
    setDetail((d) => (d ? { ...d, validation } : d));
    setGeneration((g) => g + 1);
  }, []);

  return { detail, error, replace };
}
