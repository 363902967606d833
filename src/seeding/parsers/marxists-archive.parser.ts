/**
 * Parses a chapter copied from the Marxists Internet Archive: author, work and chapter lines, a block of
 * `Key: value` metadata (Written, First Published, This Version, …), the text, and a "Last updated on:" footer.
 */
import type { ParsedBlock, ParsedDocument } from './parsed-document.js';
import {
  foldWhitespace,
  groupParagraphs,
  isWhollyQuoted,
  looksLikeHeading,
  makeBlock,
  parseMonthFirstDate,
  splitLines,
  splitQuotationAndAside,
  tidyBlocks,
} from './text-utils.js';

/** Chosen by hand: a history of the revolution's first year by Victor Serge. */
const TAGS = ['russian-revolution', 'victor-serge', 'history'];
const HEADING_MAX_LENGTH = 80;
/** A whole-line quotation shorter than this is a section title ("“Anything goes!”"), not a block quotation. */
const QUOTED_HEADING_MAX_LENGTH = 40;
const TITLE_SEPARATOR = ' — ';
const UNKNOWN_AUTHOR = 'Unknown';

export function parseMarxistsArchive(text: string): ParsedDocument {
  const groups = groupParagraphs(splitLines(text)).map((group) => group.map(foldWhitespace));
  const metadataAt = groups.findIndex(isMetadataGroup);
  const header = (metadataAt >= 0 ? groups.slice(0, metadataAt) : groups.slice(0, 1)).flat();
  const metadata = metadataAt >= 0 ? groups[metadataAt] : [];
  const body = groups.slice(metadataAt >= 0 ? metadataAt + 1 : 1).filter((group) => !isFooter(group));
  return {
    title: titleFromHeader(header),
    author: header[0] ?? UNKNOWN_AUTHOR,
    publishedAt: publishedAtFromMetadata(metadata),
    tags: [...TAGS],
    source: metadata.length > 0 ? metadata.join('\n') : null,
    blocks: tidyBlocks(body.flatMap((group) => classifyParagraph(group.join(' ')))),
    comments: [],
  };
}

/** Every line is `Key: value` with a short key: `Written: …`, `Transcription/Mark-up: …`. */
function isMetadataGroup(lines: readonly string[]): boolean {
  return lines.every((line) => {
    const colon = line.indexOf(': ');
    return colon > 0 && colon < 30 && !/[.,;]/.test(line.slice(0, colon));
  });
}

function isFooter(lines: readonly string[]): boolean {
  return lines.length === 1 && lines[0].startsWith('Last updated on:');
}

/** Header lines are author, work, chapter: the title is "work — chapter" (or the work alone). */
function titleFromHeader(header: readonly string[]): string {
  return header.slice(1).join(TITLE_SEPARATOR) || (header[0] ?? '');
}

/** The date of the version transcribed ("This Version: New International, …, April 1948, …"). */
function publishedAtFromMetadata(metadata: readonly string[]): string | null {
  const version = metadata.find((line) => line.startsWith('This Version:'));
  return version === undefined ? null : parseMonthFirstDate(version.slice('This Version:'.length));
}

function classifyParagraph(paragraph: string): ParsedBlock[] {
  if (isWhollyQuoted(paragraph) && paragraph.length < QUOTED_HEADING_MAX_LENGTH) {
    return [makeBlock('heading', paragraph)];
  }
  const split = splitQuotationAndAside(paragraph);
  if (split !== null) return [makeBlock('quote', split.quotation), makeBlock('paragraph', split.aside)];
  if (isWhollyQuoted(paragraph)) return [makeBlock('quote', paragraph)];
  if (looksLikeHeading(paragraph, HEADING_MAX_LENGTH)) return [makeBlock('heading', paragraph)];
  return [makeBlock('paragraph', paragraph)];
}
