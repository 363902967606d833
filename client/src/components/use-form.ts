import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';

/** What a refused request says to the reader: the server's message, or `fallback` when no answer came. */
export function problem(e: unknown, fallback: string): string {
  return e instanceof ApiError ? e.message : fallback;
}

/**
 * A form's one request at a time: its busy state, its error and its confirmation (what `work` answers). The account
 * page's forms and the sign-in dialog's reset-link form share it.
 */
export function useForm() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async (work: () => Promise<string>, fallback: string) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await work());
    } catch (e) {
      setError(problem(e, fallback));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run };
}
