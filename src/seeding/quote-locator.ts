/**
 * Finds the passages a comment quotes from its article: text in typographic or straight double quotes, long enough
 * to be a passage, located in one block word by word (punctuation, inner quote marks and elisions may differ: readers
 * quote loosely). What is stored is the block's own text, so the stored quote verifies.
 */
const MIN_WORDS = 6;
const QUOTED = /[“"]([^“”"]+)[”"]/gu;
const ELLIPSIS = /…|\.\.\./u;
const WORD = /[\p{L}\p{N}]+/gu;

export interface LocatedQuote {
  blockId: string;
  text: string;
}

export function quotedPassages(body: string): string[] {
  return [...body.matchAll(QUOTED)].map((m) => m[1].trim()).filter((p) => (p.match(WORD) ?? []).length >= MIN_WORDS);
}

/** The exact span of a block that the passage quotes, or null when no single block holds all of it in order. */
export function locatePassage(passage: string, blocks: { id: string; text: string }[]): LocatedQuote | null {
  const fragments = passage
    .split(ELLIPSIS)
    .map((f) => f.match(WORD) ?? [])
    .filter((words) => words.length >= 3)
    .map((words) => new RegExp(words.map(escapeRegExp).join('[^\\p{L}\\p{N}]+'), 'iu'));
  if (fragments.length === 0) return null;
  for (const block of blocks) {
    let from = 0;
    let start = -1;
    let end = -1;
    for (const fragment of fragments) {
      const match = fragment.exec(block.text.slice(from));
      if (!match) {
        start = -1;
        break;
      }
      if (start < 0) start = from + match.index;
      end = from + match.index + match[0].length;
      from = end;
    }
    if (start >= 0) return { blockId: block.id, text: block.text.slice(start, end) };
  }
  return null;
}

/** Every passage of the body that the article's blocks hold, in order of appearance, each once. */
export function locateQuotes(body: string, blocks: { id: string; text: string }[]): LocatedQuote[] {
  const found: LocatedQuote[] = [];
  for (const passage of quotedPassages(body)) {
    const located = locatePassage(passage, blocks);
    if (located && !found.some((q) => q.blockId === located.blockId && q.text === located.text)) found.push(located);
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
