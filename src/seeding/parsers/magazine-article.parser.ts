/**
 * Parses a magazine article copied from its web page: title, standfirst, a masthead of `•` byline bullets
 * (author, date), "Share", an image credit and a "featured in Issue #N of …" line, then the body — paragraphs
 * separated by blank lines, short section headings, `•` bullet runs, image credits, and long quotations whose
 * indentation was lost (they follow a paragraph ending with a colon).
 */
import type { ParsedBlock, ParsedDocument } from './parsed-document.js';
import {
  foldWhitespace,
  groupParagraphs,
  isBlank,
  isWhollyQuoted,
  looksLikeHeading,
  makeBlock,
  parseMonthFirstDate,
  splitLines,
  tidyBlocks,
} from './text-utils.js';

/** Chosen by hand for this article: Bolshevism against Stalinism, told through the Russian Revolution. */
const TAGS = ['bolshevism', 'stalinism', 'russian-revolution'];
const HEADING_MAX_LENGTH = 80;
const BULLET = '•';
const UNKNOWN_AUTHOR = 'Unknown';

interface Masthead {
  author: string | null;
  publishedAt: string | null;
  source: string | null;
  standfirst: string | null;
}

export function parseMagazineArticle(text: string): ParsedDocument {
  const lines = splitLines(text);
  const titleIndex = lines.findIndex((line) => !isBlank(line));
  const bodyStart = mastheadEnd(lines, titleIndex) + 1;
  const masthead = readMasthead(lines.slice(titleIndex + 1, bodyStart));
  return {
    title: titleIndex >= 0 ? foldWhitespace(lines[titleIndex]) : '',
    author: masthead.author ?? UNKNOWN_AUTHOR,
    publishedAt: masthead.publishedAt,
    tags: [...TAGS],
    source: masthead.source,
    blocks: tidyBlocks(parseBody(lines.slice(bodyStart), masthead.standfirst)),
    comments: [],
  };
}

/** Index of the masthead's last line: the "featured in" line, else the "Share" line, else the title. */
function mastheadEnd(lines: readonly string[], titleIndex: number): number {
  const featured = lines.findIndex((line) => isFeaturedInLine(line.trim()));
  if (featured >= 0) return featured;
  const share = lines.findIndex((line) => line.trim() === 'Share');
  return share >= 0 ? share : titleIndex;
}

function readMasthead(lines: readonly string[]): Masthead {
  const masthead: Masthead = { author: null, publishedAt: null, source: null, standfirst: null };
  for (const line of lines.map(foldWhitespace)) {
    if (line === '' || isPageFurniture(line)) continue;
    if (line.startsWith(BULLET)) {
      const item = line.slice(BULLET.length).trim();
      const date = parseMonthFirstDate(item);
      if (date !== null) masthead.publishedAt ??= date;
      else masthead.author ??= item;
    } else if (isFeaturedInLine(line)) {
      masthead.source = sourceFromFeaturedIn(line);
    } else {
      masthead.standfirst = masthead.standfirst === null ? line : `${masthead.standfirst} ${line}`;
    }
  }
  return masthead;
}

function isFeaturedInLine(line: string): boolean {
  return line.startsWith('This article was featured in');
}

/** "This article was featured in Issue #1 of Communist Revolution. …" → "Communist Revolution, Issue #1". */
function sourceFromFeaturedIn(line: string): string | null {
  const match = /featured in (Issue #\d+) of ([^.]+)\./.exec(line);
  return match === null ? null : `${match[2].trim()}, ${match[1]}`;
}

/** The "Share" button and image credits ("Gustav Klutsis, Public domain", "Public domain"). */
function isPageFurniture(line: string): boolean {
  return line === 'Share' || /public domain$/i.test(line);
}

function parseBody(lines: readonly string[], standfirst: string | null): ParsedBlock[] {
  const blocks: ParsedBlock[] = [];
  let previous = '';
  for (const group of groupParagraphs(lines)) {
    const trimmed = group.map((line) => line.trim());
    if (trimmed.every((line) => line.startsWith(BULLET))) {
      blocks.push(makeBlock('list', trimmed.map((line) => line.slice(BULLET.length)).join('\n')));
      previous = '';
      continue;
    }
    const paragraph = foldWhitespace(trimmed.join(' '));
    if (isPageFurniture(paragraph)) continue;
    blocks.push(makeBlock(classifyParagraph(paragraph, previous), paragraph));
    previous = paragraph;
  }
  // The standfirst repeats the opening of the first paragraph; keep it only if the body does not.
  const first = blocks[0];
  if (standfirst !== null && (first === undefined || !first.content.startsWith(standfirst))) {
    blocks.unshift(makeBlock('paragraph', standfirst));
  }
  return blocks;
}

function classifyParagraph(paragraph: string, previous: string): ParsedBlock['kind'] {
  if (looksLikeHeading(paragraph, HEADING_MAX_LENGTH) || isShortQuestionHeading(paragraph)) return 'heading';
  // The page indented long quotations ("… Lenin wrote:" / "… this was changed:"); the copy lost the indent
  // and the quote marks, but kept the colon that introduces them.
  if (isWhollyQuoted(paragraph) || previous.endsWith(':')) return 'quote';
  return 'paragraph';
}

/**
 * "What about Stalin?" heads a section although it ends with `?`: a question of at most five words with no
 * other punctuation. "So if the Russian Revolution was so great, what happened? …" stays a paragraph.
 */
function isShortQuestionHeading(paragraph: string): boolean {
  const body = paragraph.slice(0, -1);
  return paragraph.endsWith('?') && paragraph.split(' ').length <= 5 && !/[.,;:!?…]/.test(body);
}
