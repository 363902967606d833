import diff from 'fast-diff';
import { QUOTE_CONTEXT_STORED, type QuoteAnchor } from '../common/limits.js';

/**
 * Where an article quote stands in the essay, server-side, in the manner of the annotation tools' text-quote
 * selectors (the quoted words, with up to 32 characters before and after) but run once per revision, in its
 * transaction, against the blocks the revision kept or made:
 *
 * - `exact`: the words stand in the quote's own block (same id, which block-identity.ts keeps for the same passage);
 * - `moved`: not there, but word for word in another block;
 * - `changed`: nowhere word for word, but a passage of the quote's block (or, for a quote of 4 words or more, of any
 *   block) matches at least {@link CLOSE_ENOUGH} of it: the words a diff finds equal, over the longer of the quote
 *   and the passage, the passage widened to whole words;
 * - `orphaned`: nothing close enough. A quote never jumps to a poor match: orphaned is the answer when in doubt.
 *
 * Word for word means white space folded (as quotes are verified) and, where the quote began or ended on a word's
 * edge, on a word's edge again: "art" does not stand in "party". Among several occurrences the one whose context
 * agrees best with the stored prefix and suffix is taken, then the one nearest the old offset. A short quote (under
 * {@link DISTINCTIVE_WORDS} words) found in another block must also bring some of its context along
 * ({@link SHORT_QUOTE_CONTEXT}): a common phrase elsewhere in the essay is not where it went.
 *
 * Offsets are UTF-16 code units of the block's text, as the API answers it.
 */

/** The share of the quote a changed passage must keep. */
export const CLOSE_ENOUGH = 0.75;
/** Words from which a quote is distinctive enough to be looked for in any block. */
export const DISTINCTIVE_WORDS = 4;
/** The context (0-1) a short quote found in another block must share with the stored prefix and suffix. */
export const SHORT_QUOTE_CONTEXT = 0.5;

export interface Span {
  start: number;
  end: number;
}

export interface AnchorHints {
  prefix?: string | null;
  suffix?: string | null;
  start?: number | null;
}

export interface StoredQuote {
  blockId: string;
  text: string;
  prefix: string | null;
  suffix: string | null;
  start: number | null;
}

export interface AnchorBlock {
  id: string;
  text: string;
}

export interface Anchoring {
  anchor: QuoteAnchor;
  blockId: string;
  start: number | null;
  end: number | null;
  prefix: string | null;
  suffix: string | null;
  /** The passage's text now, for `changed`; null otherwise. */
  current: string | null;
  /** The quote's text stands word for word in blockId now. */
  verified: boolean;
}

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * Every place the quote stands word for word in the text (runs of white space matching any run). With `edges`, a
 * side where the quote starts or ends with a letter or digit must not continue a word in the text.
 */
export function occurrences(text: string, quote: string, edges = { before: false, after: false }): Span[] {
  const words = quote.trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return [];
  const pattern = new RegExp(words.map(escapeRegExp).join('\\s+'), 'gu');
  const found: Span[] = [];
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const span = { start: match.index, end: match.index + match[0].length };
    pattern.lastIndex = match.index + 1;
    if (edges.before && continuesWord(text, span.start - 1, span.start)) continue;
    if (edges.after && continuesWord(text, span.end, span.end - 1)) continue;
    found.push(span);
  }
  return found;
}

/** The occurrence that fits the hints best: context first, then nearness to `start`, then the first. */
export function pickOccurrence(text: string, spans: Span[], hints: AnchorHints): Span | null {
  let best: { span: Span; context: number; distance: number } | null = null;
  for (const span of spans) {
    const context = contextAgreement(text, span, hints);
    const distance = typeof hints.start === 'number' ? Math.abs(span.start - hints.start) : 0;
    if (
      !best ||
      context > best.context + 1e-9 ||
      (Math.abs(context - best.context) <= 1e-9 && distance < best.distance)
    )
      best = { span, context, distance };
  }
  return best?.span ?? null;
}

/** The selector stored with a quote at `span`: up to 32 characters of the text before and after it. */
export function selectorAt(text: string, span: Span): { prefix: string; suffix: string } {
  return {
    prefix: text.slice(Math.max(0, span.start - QUOTE_CONTEXT_STORED), span.start),
    suffix: text.slice(span.end, span.end + QUOTE_CONTEXT_STORED),
  };
}

/** Where a quote stands in the blocks of a new revision (see the rules above). */
export function reanchor(quote: StoredQuote, blocks: AnchorBlock[]): Anchoring {
  const edges = edgesOf(quote);
  const index = indexOf(blocks);
  const own = index.byId.get(quote.blockId);
  // A block without the quote's longest word cannot hold it word for word: no pattern is run on it.
  const longest = quote.text.split(/\s+/u).reduce((a, b) => (b.length > a.length ? b : a), '');
  if (own) {
    const span = pickOccurrence(own.text, occurrences(own.text, quote.text, edges), quote);
    if (span) return anchored('exact', own, span);
  }
  const distinctive = wordCount(quote.text) >= DISTINCTIVE_WORDS;
  let moved: { block: AnchorBlock; span: Span; context: number } | null = null;
  for (const block of blocks) {
    if (block === own || !block.text.includes(longest)) continue;
    const span = pickOccurrence(block.text, occurrences(block.text, quote.text, edges), quote);
    if (!span) continue;
    const context = contextAgreement(block.text, span, quote);
    if (!distinctive && context < SHORT_QUOTE_CONTEXT) continue;
    if (!moved || context > moved.context) moved = { block, span, context };
  }
  if (moved) return anchored('moved', moved.block, moved.span);

  let closest: { block: AnchorBlock; span: Span; score: number } | null = null;
  // Only a block that holds most of the quote's words can hold a passage close enough: the others are not diffed.
  // (Words of four letters or more when it has three: the short ones, "the", "of", are in every block.)
  const allWords = wordsOf(quote.text);
  const longWords = allWords.filter((word) => word.length >= 4);
  const quoteWords = new Set(longWords).size >= 3 ? longWords : allWords;
  const nearby = (distinctive ? blocks : own ? [own] : []).filter(
    (block) => shareOf(quoteWords, index.words(block)) >= CLOSE_ENOUGH / 2,
  );
  for (const block of nearby) {
    const found = closestPassage(block.text, quote.text);
    if (found && found.score >= CLOSE_ENOUGH && (!closest || found.score > closest.score))
      closest = { block, ...found };
  }
  if (closest) return anchored('changed', closest.block, closest.span);
  return {
    anchor: 'orphaned',
    blockId: quote.blockId,
    start: null,
    end: null,
    prefix: quote.prefix,
    suffix: quote.suffix,
    current: null,
    verified: false,
  };
}

interface BlockIndex {
  byId: Map<string, AnchorBlock>;
  words: (block: AnchorBlock) => Set<string>;
}

/** Per list of blocks (one revision's, shared by all its quotes): blocks by id and each block's words, made once. */
const indexes = new WeakMap<AnchorBlock[], BlockIndex>();

function indexOf(blocks: AnchorBlock[]): BlockIndex {
  let index = indexes.get(blocks);
  if (!index) {
    const words = new Map<AnchorBlock, Set<string>>();
    index = {
      byId: new Map(blocks.map((block) => [block.id, block])),
      words: (block) => {
        let set = words.get(block);
        if (!set) words.set(block, (set = new Set(wordsOf(block.text))));
        return set;
      },
    };
    indexes.set(blocks, index);
  }
  return index;
}

/** The words of a text, lower case. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The share of the words (each once) that the set holds. */
function shareOf(words: string[], set: Set<string>): number {
  const distinct = [...new Set(words)];
  if (distinct.length === 0) return 0;
  return distinct.filter((word) => set.has(word)).length / distinct.length;
}

/**
 * The passage of `text` closest to `quote`, widened to whole words, and its score: the characters a diff finds equal
 * over the longer of the quote and the passage. Windows are tried where the quote's words stand in the text (each
 * word votes for where the quote would start); the best few are diffed.
 */
export function closestPassage(text: string, quote: string): { span: Span; score: number } | null {
  const needle = quote.replace(/\s+/gu, ' ').trim();
  if (needle.length === 0 || text.length === 0) return null;
  const votes = new Map<number, number>();
  for (const word of needle.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (word[0].length < 3 && needle.length > 12) continue;
    for (const at of occurrences(text, word[0], { before: true, after: true }).slice(0, 50)) {
      const start = Math.max(0, at.start - word.index);
      const key = Math.round(start / 8);
      votes.set(key, (votes.get(key) ?? 0) + 1);
    }
  }
  const starts = [...votes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([key]) => key * 8);
  let best: { span: Span; score: number } | null = null;
  for (const start of starts) {
    const from = Math.max(0, start - Math.ceil(needle.length / 4) - 8);
    const to = Math.min(text.length, start + Math.ceil(needle.length * 1.25) + 8);
    const found = passageIn(text, from, to, needle);
    if (found && (!best || found.score > best.score)) best = found;
  }
  return best;
}

/** The passage of text[from, to) that a diff against the quote aligns with, widened to whole words, and its score. */
function passageIn(text: string, from: number, to: number, needle: string): { span: Span; score: number } | null {
  const window = text.slice(from, to);
  let position = 0;
  let first = -1;
  let last = -1;
  const equal: Span[] = [];
  for (const [operation, part] of diff(needle, window, undefined, true)) {
    if (operation === diff.INSERT || operation === diff.EQUAL) {
      if (operation === diff.EQUAL) {
        if (first < 0) first = position;
        last = position + part.length;
        equal.push({ start: from + position, end: from + position + part.length });
      }
      position += part.length;
    }
  }
  if (first < 0) return null;
  let start = from + first;
  let end = from + last;
  while (start < end && /\s/u.test(text[start])) start++;
  while (end > start && /\s/u.test(text[end - 1])) end--;
  while (start > 0 && continuesWord(text, start - 1, start)) start--;
  while (end < text.length && continuesWord(text, end, end - 1)) end++;
  const shared = equal.reduce((sum, s) => sum + Math.min(s.end, end) - Math.max(s.start, start), 0);
  const passage = fold(text.slice(start, end));
  return { span: { start, end }, score: shared / Math.max(needle.length, passage.length) };
}

function anchored(anchor: 'exact' | 'moved' | 'changed', block: AnchorBlock, span: Span): Anchoring {
  return {
    anchor,
    blockId: block.id,
    start: span.start,
    end: span.end,
    ...selectorAt(block.text, span),
    current: anchor === 'changed' ? block.text.slice(span.start, span.end) : null,
    verified: anchor !== 'changed',
  };
}

/**
 * How well the text around a span agrees with the stored prefix and suffix, from 0 to 1: the characters that match
 * going outward from the span (white space folded), over the stored context's length. No context stored: 0.
 */
function contextAgreement(text: string, span: Span, hints: AnchorHints): number {
  const parts: number[] = [];
  const prefix = fold(hints.prefix ?? '');
  const suffix = fold(hints.suffix ?? '');
  if (prefix.length > 0)
    parts.push(commonSuffix(fold(text.slice(Math.max(0, span.start - 80), span.start)), prefix) / prefix.length);
  if (suffix.length > 0) parts.push(commonPrefix(fold(text.slice(span.end, span.end + 80)), suffix) / suffix.length);
  return parts.length === 0 ? 0 : parts.reduce((a, b) => a + b, 0) / parts.length;
}

/** Which edges of the quote lay on a word's edge when it was quoted (unknown context: the quote's own edges). */
function edgesOf(quote: StoredQuote): { before: boolean; after: boolean } {
  const text = quote.text.trim();
  const characters = [...text];
  const startsWord = WORD_CHARACTER.test(characters[0] ?? '');
  const endsWord = WORD_CHARACTER.test(characters[characters.length - 1] ?? '');
  const before = startsWord && !WORD_CHARACTER.test((quote.prefix ?? '').slice(-1));
  const after = endsWord && !WORD_CHARACTER.test((quote.suffix ?? '').slice(0, 1));
  return { before, after };
}

/** Whether the character at `outside` is a letter or digit and so is the one at `inside` (a word goes on). */
function continuesWord(text: string, outside: number, inside: number): boolean {
  if (outside < 0 || outside >= text.length) return false;
  return WORD_CHARACTER.test(text[outside]) && WORD_CHARACTER.test(text[inside] ?? '');
}

function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function fold(text: string): string {
  return text.replace(/\s+/gu, ' ');
}

function wordCount(text: string): number {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where a new article quote stands in its block and its selector, the hints choosing among occurrences; null: nowhere. */
export function locateQuote(blockText: string, text: string, hints: AnchorHints = {}): QuotePosition | null {
  const span = pickOccurrence(blockText, occurrences(blockText, text), hints);
  return span ? { startOffset: span.start, endOffset: span.end, ...selectorAt(blockText, span) } : null;
}

/** An article quote's offsets in its block and its selector, as stored. */
export interface QuotePosition {
  startOffset: number;
  endOffset: number;
  prefix: string;
  suffix: string;
}
