import { useCallback, useState } from 'react';
import type { ChangeEvent } from 'react';
import { errorMessage } from './api';

type Errors<T> = Partial<Record<keyof T, string>>;

// Just enough form state for these screens: values, per-field errors, one form-level error, busy flag.
export function useFormState<T extends Record<string, unknown>>(initial: T) {
  const [values, setValues] = useState<T>(initial);
  const [errors, setErrors] = useState<Errors<T>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const setValue = useCallback(<K extends keyof T>(key: K, value: T[K]) => {
    setValues((prev) => ({ ...prev, [key]: value }));
    setErrors((prev) => (prev[key] ? { ...prev, [key]: undefined } : prev));
  }, []);

  // Props for a Mantine text input bound to a string field.
  const text = (key: { [K in keyof T]: T[K] extends string ? K : never }[keyof T]) => ({
    value: values[key] as string,
    error: errors[key],
    onChange: (event: ChangeEvent<HTMLInputElement>) => setValue(key, event.currentTarget.value as T[typeof key]),
  });

  // Runs the action with busy/error handling; returns whether it succeeded.
  const run = async (action: () => Promise<void>): Promise<boolean> => {
    setFormError(null);
    setBusy(true);
    try {
      await action();
      return true;
    } catch (error) {
      setFormError(errorMessage(error));
      return false;
    } finally {
      setBusy(false);
    }
  };

  return { values, setValue, errors, setErrors, formError, setFormError, busy, text, run };
}

// After a failed validation, move the keyboard to the first field that needs attention.
export function focusFirstInvalid(form: HTMLFormElement): void {
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
