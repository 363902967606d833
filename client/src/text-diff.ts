import diff from 'fast-diff';

/** A run of text in a comparison: in both versions, only in the later one, or only in the earlier one. */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Words and the white space between them, each a token of its own. */
const TOKENS = /\s+|[^\s]+/g;

/**
 * What an edit changed, word by word: each distinct word (or run of white space) of the two versions becomes one
 * character, fast-diff (the server's block identity uses it too) compares the two strings of characters, and the runs
 * are turned back into text. A corrected word reads as the old word out and the new one in, never as letters.
 */
export function textDiff(before: string, after: string): DiffPart[] {
  const codes = new Map<string, string>();
  const words: string[] = [];
  const encode = (text: string) =>
    (text.match(TOKENS) ?? [])
      .map((token) => {
        let code = codes.get(token);
        if (code === undefined) {
          code = codeFor(words.length);
          codes.set(token, code);
          words.push(token);
        }
        return code;
      })
      .join('');
  const a = encode(before);
  const b = encode(after);
  return grouped(
    diff(a, b).map(([op, chars]) => ({
      kind: op === diff.INSERT ? 'added' : op === diff.DELETE ? 'removed' : 'same',
      text: [...chars].map((c) => words[decode(c)]).join(''),
    })),
  );
}

/**
 * Runs a reader takes in at once: a space the two versions share between two changed words belongs to the change
 * ("The first" out, not "The" and "first"), and each change reads as all of its old words, then all of its new ones.
 */
function grouped(parts: DiffPart[]): DiffPart[] {
  const result: DiffPart[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) result.push({ kind: 'removed', text: removed });
    if (added) result.push({ kind: 'added', text: added });
    removed = added = '';
  };
  parts.forEach((part, i) => {
    const between = i > 0 && i < parts.length - 1 && parts[i - 1].kind !== 'same' && parts[i + 1].kind !== 'same';
    if (part.kind === 'same' && !(between && /^\s+$/.test(part.text))) {
      flush();
      result.push(part);
      return;
    }
    if (part.kind !== 'added') removed += part.text;
    if (part.kind !== 'removed') added += part.text;
  });
  flush();
  return result;
}

/**
 * The n-th token's character: from U+0100 up, stepping over the surrogates (which fast-diff would split). About 63,000
 * are available; a comment (at most 10,000 characters) has far fewer distinct tokens.
 */
function codeFor(n: number): string {
  const code = 0x100 + n;
  return String.fromCharCode(code < 0xd800 ? code : code + 0x800);
}

function decode(c: string): number {
  const code = c.charCodeAt(0);
  return (code < 0xd800 ? code : code - 0x800) - 0x100;
}
