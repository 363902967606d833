/** The pure rules of `@` autocomplete in the composer: which name is being typed, and the text once one is picked. */

/** A name being typed: the `@` at `start`, the characters after it up to the caret (`prefix`) and on to `end`. */
export interface TypedMention {
  start: number;
  end: number;
  prefix: string;
}

const NAME_CHAR = /[A-Za-z0-9_-]/;

/**
 * The `@name` the caret is in or just after, as the server links them: an `@` at the start or after white space,
 * then username characters (at most 30 before the caret: no name is longer). Null when the caret is elsewhere.
 */
export function mentionAtCaret(text: string, caret: number): TypedMention | null {
  const match = /(?:^|\s)@([A-Za-z0-9_-]{0,30})$/.exec(text.slice(0, caret));
  if (!match) return null;
  let end = caret;
  while (end < text.length && NAME_CHAR.test(text[end])) end++;
  return { start: caret - match[1].length - 1, end, prefix: match[1] };
}

/**
 * The text with the typed name replaced by `@username`, and the caret after it, past one space: the reader goes on
 * typing. The space is added at the end of the text; white space already there is kept, and punctuation right after
 * the name (a comma) stays against it.
 */
export function completeMention(text: string, typed: TypedMention, username: string): { text: string; caret: number } {
  const after = text.slice(typed.end);
  const inserted = `@${username}${after === '' ? ' ' : ''}`;
  const skip = /^\s/.test(after) ? 1 : 0;
  return { text: text.slice(0, typed.start) + inserted + after, caret: typed.start + inserted.length + skip };
}
