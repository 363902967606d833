/**
 * Format characters (zero-width space and joiners, soft hyphen, bidi marks) and every other character Unicode says to
 * show as nothing (the combining grapheme joiner, variation selectors, Hangul fillers).
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Whole-word, case-insensitive matching after Unicode normalisation: NFKC folds look-alikes such as full-width
 * letters and ligatures, invisible characters are dropped, and words are runs of letters and digits, so a banned word
 * never matches inside a longer word. An entry of several words matches those words in a row.
 *
 * The text given is what a reader sees: for a comment, the text of its rendered html (`BannedWords.firstMatchInHtml`),
 * so Markdown inside a word (`zor**blax**`) and character references (`z&#111;rblax`) are already resolved.
 *
 * Linear in the text: it is normalised and split into words once, and each word is looked up in a map of the entries
 * that start with it (the work per word is bounded by the list, never by the text).
 */
export function normaliseForMatching(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase();
}

function words(text: string): string[] {
  return normaliseForMatching(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

export class BannedWordMatcher {
  /** Entries by their first word; each entry is its words in order. */
  private readonly byFirstWord = new Map<string, string[][]>();

  constructor(list: string[]) {
    for (const entry of list.map(words)) {
      if (entry.length === 0) continue;
      const bucket = this.byFirstWord.get(entry[0]);
      if (bucket) bucket.push(entry);
      else this.byFirstWord.set(entry[0], [entry]);
    }
  }

  /** The first banned entry the text contains (by position in the text), or null. */
  firstMatch(text: string): string | null {
    if (this.byFirstWord.size === 0) return null;
    const tokens = words(text);
    for (let start = 0; start < tokens.length; start++) {
      const candidates = this.byFirstWord.get(tokens[start]);
      if (!candidates) continue;
      for (const entry of candidates) {
        if (entry.every((word, k) => tokens[start + k] === word)) return entry.join(' ');
      }
    }
    return null;
  }
}
