import { useEffect, useRef, useState } from 'preact/hooks';
import { previewErrorOf } from '../essay-form.js';

/** The pause in typing after which the draft is sent for a preview: a word typed, not every keystroke. */
export const PREVIEW_DELAY_MS = 400;

export interface LivePreview<T> {
  /** The latest answer, and the body it is for (an earlier draft's while a newer one is being asked about). */
  answer: { body: string; value: T } | null;
  /** Why the latest draft has no preview, in a line; null when it has one or is being asked about. */
  error: string | null;
}

/**
 * The server's preview of a draft, asked for once typing pauses. Every new draft cancels the question about the one
 * before (its timer, and its request if under way), and an answer is taken only if it is about the latest draft:
 * an older answer never replaces a newer one. A failure keeps the last answer on screen beside its message. With
 * `enabled` false (the draft is the saved essay) nothing is asked and nothing is kept.
 */
export function useLivePreview<T>(
  body: string,
  enabled: boolean,
  ask: (body: string, signal: AbortSignal) => Promise<T>,
): LivePreview<T> {
  const [state, setState] = useState<LivePreview<T>>({ answer: null, error: null });
  const asked = useRef(0);

  useEffect(() => {
    const question = ++asked.current;
    if (!enabled || body.trim() === '') {
      setState({ answer: null, error: null });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      ask(body, controller.signal).then(
        (value) => {
          if (question === asked.current) setState({ answer: { body, value }, error: null });
        },
        (error: unknown) => {
          if (question === asked.current) setState((shown) => ({ answer: shown.answer, error: previewErrorOf(error) }));
        },
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [body, enabled]);

  return state;
}
