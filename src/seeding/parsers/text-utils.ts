/**
 * Small text helpers shared by the source-format parsers. Everything here is a pure function of its input.
 */
import type { ParsedBlock, ParsedBlockKind } from './parsed-document.js';

const OPENING_QUOTE = '“';
const CLOSING_QUOTE = '”';
const TERMINAL_PUNCTUATION = ['.', '!', '?', ':', ';', ',', '…'];
/** Characters that may close a sentence after its punctuation, as in `(… Revolution.)` or `… goes!”`. */
const TRAILING_CLOSERS = [')', ']', '”', '’', '"', "'"];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

export function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Folds every run of white space to one space and trims the ends. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Runs of non-blank lines, split at blank lines. The lines are returned as they are (not trimmed). */
export function groupParagraphs(lines: readonly string[]): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (isBlank(line)) {
      if (current.length > 0) groups.push(current);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** True when the text, ignoring closing brackets and quote marks, ends with sentence punctuation. */
export function endsWithTerminalPunctuation(text: string): boolean {
  let end = text.trimEnd();
  while (end.length > 0 && TRAILING_CLOSERS.includes(end.slice(-1))) end = end.slice(0, -1);
  return TERMINAL_PUNCTUATION.includes(end.slice(-1));
}

/**
 * A section heading: one short line that does not end like a sentence. A `?` inside the line does not matter
 * ("So what made Lenin great? He served, not led" is a heading); only the end of the line does.
 */
export function looksLikeHeading(line: string, maxLength: number): boolean {
  const text = foldWhitespace(line);
  return text.length > 0 && text.length < maxLength && !endsWithTerminalPunctuation(text);
}

/** The whole text is a quotation: it opens with “ and closes with ”. */
export function isWhollyQuoted(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length > 1 && trimmed.startsWith(OPENING_QUOTE) && trimmed.endsWith(CLOSING_QUOTE);
}

/**
 * A quotation followed only by the writer's parenthetical remark, e.g. `“… echelons.” (Indeed, …)`. Returns the
 * two parts (text unchanged) so the remark is not passed off as part of the quotation; null for any other text.
 */
export function splitQuotationAndAside(text: string): { quotation: string; aside: string } | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith(OPENING_QUOTE)) return null;
  const lastClose = trimmed.lastIndexOf(CLOSING_QUOTE);
  if (lastClose < 0) return null;
  const quotation = trimmed.slice(0, lastClose + 1);
  const aside = trimmed.slice(lastClose + 1).trim();
  if (!aside.startsWith('(') || !aside.endsWith(')')) return null;
  return { quotation, aside };
}

export function startsWithOpeningQuote(text: string): boolean {
  return text.trim().startsWith(OPENING_QUOTE);
}

export function endsWithClosingQuote(text: string): boolean {
  return text.trim().endsWith(CLOSING_QUOTE);
}

export function containsOpeningQuote(text: string): boolean {
  return text.includes(OPENING_QUOTE);
}

/** `ramin MAZAHERI` → `Ramin Mazaheri`. */
export function titleCase(text: string): string {
  return foldWhitespace(text)
    .split(' ')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
    .join(' ');
}

/** A block; non-list content is folded to one line, list items are folded one per line. */
export function makeBlock(
  kind: ParsedBlockKind,
  content: string,
  format: ParsedBlock['format'] = 'plain',
): ParsedBlock {
  if (kind === 'list') {
    const items = content
      .split('\n')
      .map(foldWhitespace)
      .filter((item) => item !== '');
    return { kind, content: items.join('\n'), format };
  }
  return { kind, content: foldWhitespace(content), format };
}

/** Drops empty blocks and any block that repeats an earlier one (same kind and content). */
export function tidyBlocks(blocks: readonly ParsedBlock[]): ParsedBlock[] {
  const seen = new Set<string>();
  const kept: ParsedBlock[] = [];
  for (const block of blocks) {
    const key = `${block.kind}\u0000${block.content}`;
    if (block.content === '' || seen.has(key)) continue;
    seen.add(key);
    kept.push(block);
  }
  return kept;
}

/** `Jan`, `january`, `April` → 0-based month index; -1 when the word is not a month. */
function monthIndex(word: string): number {
  const lower = word.toLowerCase();
  if (lower.length < 3) return -1;
  return MONTHS.findIndex((month) => month.startsWith(lower));
}

/** ISO-8601 timestamp of UTC midnight on the given day (month is 0-based). */
function utcMidnight(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month, day)).toISOString();
}

/**
 * The first date written month first (`Fri, Jan 19, 2024`, `April 1948`): the month word, the day right after
 * it when there is one (else the 1st), and the first four-digit year after it. Returns UTC midnight, or null.
 */
export function parseMonthFirstDate(text: string): string | null {
  const words = text.split(/[^\p{L}\d]+/u).filter((word) => word !== '');
  const monthAt = words.findIndex((word) => monthIndex(word) >= 0);
  if (monthAt < 0) return null;
  const yearWord = words.slice(monthAt + 1).find((word) => /^\d{4}$/.test(word));
  if (yearWord === undefined) return null;
  const dayWord = words[monthAt + 1];
  const day = /^\d{1,2}$/.test(dayWord ?? '') ? Number(dayWord) : 1;
  return utcMidnight(Number(yearWord), monthIndex(words[monthAt]), day);
}
