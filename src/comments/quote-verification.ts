import { foldWhiteSpace } from '../common/markdown/markdown.js';

/** A quote is verified when its text stands word for word in the source, runs of white space ignored. */
export function quoteStandsIn(quoteText: string, sourceText: string): boolean {
  const needle = foldWhiteSpace(quoteText);
  return needle.length > 0 && foldWhiteSpace(sourceText).includes(needle);
}
