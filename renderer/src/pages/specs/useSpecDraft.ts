import { useCallback, useMemo, useState } from 'react';
import type { Spec } from '../../../../electron/shared/spec-schema';
import { draftFromJson, specJson, validateSpec, type SpecIssue } from './specDraft';

interface State {
  draft: Spec;
  json: string;
  jsonError: string | null;
}

export interface SpecDraft {
  draft: Spec;
  json: string;
  jsonError: string | null;
  // The schema's output when the draft is valid (trimmed, defaults filled): what Save sends.
  valid: Spec | null;
  issues: SpecIssue[];
  update: (change: (draft: Spec) => Spec) => void;
  setJson: (text: string) => void;
  reset: (spec: Spec) => void;
  errorAt: (path: string) => string | undefined;
  errorUnder: (path: string) => string | undefined;
}

// One draft behind both views: the form writes the draft (and the JSON follows); the JSON text writes the
// draft only when it parses into a spec's shape, so a half-typed edit never wipes the form.
export function useSpecDraft(initial: Spec): SpecDraft {
  const [state, setState] = useState<State>(() => ({ draft: initial, json: specJson(initial), jsonError: null }));

  const update = useCallback((change: (draft: Spec) => Spec) => {
    setState((s) => {
      const draft = change(s.draft);
      return { draft, json: specJson(draft), jsonError: null };
    });
  }, []);

  const setJson = useCallback((text: string) => {
    const result = draftFromJson(text);
    setState((s) => (result.ok ? { draft: result.draft, json: text, jsonError: null } : { ...s, json: text, jsonError: result.error }));
  }, []);

  const reset = useCallback((spec: Spec) => setState({ draft: spec, json: specJson(spec), jsonError: null }), []);

  const { spec: valid, issues } = useMemo(() => validateSpec(state.draft), [state.draft]);

  const errorAt = useCallback((path: string) => issues.find((i) => i.path === path)?.message, [issues]);
  const errorUnder = useCallback(
    (path: string) => issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message,
    [issues],
  );

  return { ...state, valid: state.jsonError ? null : valid, issues, update, setJson, reset, errorAt, errorUnder };
}
