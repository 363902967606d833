/**
 * Whole-word, case-insensitive matching after Unicode normalisation: NFKC folds look-alikes such as full-width
 * letters and ligatures, invisible format characters (zero-width spaces and joiners) are dropped, and words are runs
 * of letters and digits, so a banned word never matches inside a longer word. An entry of several words matches
 * those words in a row.
 */
export function normaliseForMatching(text: string): string {
  return text.normalize('NFKC').replace(/\p{Cf}/gu, '').toLowerCase();
}

function words(text: string): string[] {
  return normaliseForMatching(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

export class BannedWordMatcher {
  private readonly entries: string[][];

  constructor(list: string[]) {
    this.entries = list.map(words).filter((entry) => entry.length > 0);
  }

  /** The first banned entry the text contains, or null. */
  firstMatch(text: string): string | null {
    if (this.entries.length === 0) return null;
    const tokens = words(text);
    const positions = new Map<string, number[]>();
    tokens.forEach((token, i) => positions.set(token, [...(positions.get(token) ?? []), i]));
    for (const entry of this.entries) {
      for (const start of positions.get(entry[0]) ?? []) {
        if (entry.every((word, k) => tokens[start + k] === word)) return entry.join(' ');
      }
    }
    return null;
  }
}
