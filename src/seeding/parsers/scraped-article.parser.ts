/**
 * Parses an article scraped from a web page as plain text: title on the first line, paragraphs separated by blank
 * lines, then an "About the author" box, licence and share cruft, and the numbered reader comments
 * (`  1. …`, continuation lines indented by four spaces) up to "Leave a Reply".
 */
import type { ParsedBlock, ParsedComment, ParsedDocument } from './parsed-document.js';
import {
  containsOpeningQuote,
  endsWithClosingQuote,
  foldWhitespace,
  groupParagraphs,
  isBlank,
  isWhollyQuoted,
  looksLikeHeading,
  makeBlock,
  splitLines,
  splitQuotationAndAside,
  tidyBlocks,
  titleCase,
} from './text-utils.js';

/** Chosen by hand for this essay: it is about Lenin's role in the Russian Revolution, read as history. */
const TAGS = ['russian-revolution', 'lenin', 'history'];
const HEADING_MAX_LENGTH = 130;
const ABOUT_THE_AUTHOR = 'About the author';
const LEAVE_A_REPLY = 'Leave a Reply';
const UNKNOWN_AUTHOR = 'Unknown';

export function parseScrapedArticle(text: string): ParsedDocument {
  const lines = splitLines(text);
  const titleIndex = lines.findIndex((line) => !isBlank(line));
  const aboutIndex = findLine(lines, (line) => line === ABOUT_THE_AUTHOR);
  const threadIndex = findLine(lines, isThreadHeader);
  const replyIndex = findLine(lines, (line) => line === LEAVE_A_REPLY);
  const articleEnd = Math.min(...[aboutIndex, threadIndex, replyIndex, lines.length].filter((index) => index >= 0));

  const articleAuthor = aboutIndex >= 0 ? authorFromAboutBox(lines.slice(aboutIndex + 1)) : null;
  const commentLines =
    threadIndex >= 0 ? lines.slice(threadIndex + 1, replyIndex > threadIndex ? replyIndex : undefined) : [];
  return {
    title: titleIndex >= 0 ? foldWhitespace(lines[titleIndex]) : '',
    author: articleAuthor ?? UNKNOWN_AUTHOR,
    publishedAt: null,
    tags: [...TAGS],
    source: null,
    blocks: tidyBlocks(parseArticleBody(lines.slice(titleIndex + 1, articleEnd))),
    comments: parseComments(commentLines, articleAuthor),
  };
}

function findLine(lines: readonly string[], matches: (trimmedLine: string) => boolean): number {
  return lines.findIndex((line) => matches(line.trim()));
}

/** `9 thoughts on “…` */
function isThreadHeader(line: string): boolean {
  return /^\d+ thoughts? on /.test(line);
}

/** Page furniture that can sit among the article's paragraphs. */
function isSiteCruft(paragraph: string): boolean {
  return (
    paragraph === 'horiz-long grey' ||
    paragraph.includes('Creative Commons') ||
    paragraph.endsWith('Share widely.') ||
    /^• \d+$/.test(paragraph)
  );
}

/** `RAMIN MAZAHERI, Senior Correspondent & …` → `Ramin Mazaheri`. */
function authorFromAboutBox(lines: readonly string[]): string | null {
  const first = lines.find((line) => !isBlank(line));
  if (first === undefined) return null;
  const name = first.split(',')[0];
  return name.trim() === '' ? null : titleCase(name);
}

// ---------------------------------------------------------------------------------------------------------------
// Article body

function parseArticleBody(lines: readonly string[]): ParsedBlock[] {
  const paragraphs = groupParagraphs(lines)
    .map((group) => foldWhitespace(group.join(' ')))
    .filter((paragraph) => !isSiteCruft(paragraph));
  const blocks: ParsedBlock[] = [];
  let index = 0;
  while (index < paragraphs.length) {
    const previous = index > 0 ? paragraphs[index - 1] : '';
    if (announcesList(previous)) {
      const items = takeListItems(paragraphs, index);
      if (items.length > 0) {
        blocks.push(makeBlock('list', items.join('\n')));
        index += items.length;
        continue;
      }
    }
    blocks.push(...classifyParagraph(paragraphs[index], previous));
    index++;
  }
  return blocks;
}

/** "Here is the list of articles slated to be published, …" introduces the series' titles, one per paragraph. */
function announcesList(paragraph: string): boolean {
  return /\bthe list of\b/i.test(paragraph);
}

/** The short lines that follow a list announcement (they would otherwise read as headings). */
function takeListItems(paragraphs: readonly string[], start: number): string[] {
  const items: string[] = [];
  for (let index = start; index < paragraphs.length && paragraphs[index].length < HEADING_MAX_LENGTH; index++) {
    items.push(paragraphs[index]);
  }
  return items;
}

function classifyParagraph(paragraph: string, previous: string): ParsedBlock[] {
  const split = splitQuotationAndAside(paragraph);
  if (split !== null) return [makeBlock('quote', split.quotation), makeBlock('paragraph', split.aside)];
  if (isWhollyQuoted(paragraph) || isQuotationMissingItsOpeningMark(paragraph, previous)) {
    return [makeBlock('quote', paragraph)];
  }
  if (looksLikeHeading(paragraph, HEADING_MAX_LENGTH)) return [makeBlock('heading', paragraph)];
  return [makeBlock('paragraph', paragraph)];
}

/**
 * The scrape lost the opening “ of the book quotation introduced by "…bones of their ancestors:". A paragraph
 * that closes with ”, has no “ at all and follows a paragraph ending with a colon is that kind of quotation.
 */
function isQuotationMissingItsOpeningMark(paragraph: string, previous: string): boolean {
  return previous.endsWith(':') && endsWithClosingQuote(paragraph) && !containsOpeningQuote(paragraph);
}

// ---------------------------------------------------------------------------------------------------------------
// Comments

interface CommentDraft {
  comment: ParsedComment;
  /** The body's paragraphs as plain text, used to find whom the comment addresses. */
  text: string;
}

function parseComments(lines: readonly string[], articleAuthor: string | null): ParsedComment[] {
  const drafts = splitNumberedComments(lines).map(({ number, lines: commentLines }) =>
    draftComment(number, commentLines, articleAuthor),
  );
  resolveReplies(drafts, articleAuthor);
  return drafts.map((draft) => draft.comment);
}

/** Splits at `  N. ` lines (two-space indent, numbers counting up from 1); the number prefix is removed. */
function splitNumberedComments(lines: readonly string[]): { number: number; lines: string[] }[] {
  const comments: { number: number; lines: string[] }[] = [];
  for (const line of lines) {
    const start = /^ {2}(\d+)\. (.*)$/.exec(line);
    if (start !== null && Number(start[1]) === comments.length + 1) {
      comments.push({ number: Number(start[1]), lines: [start[2]] });
    } else if (comments.length > 0) {
      comments[comments.length - 1].lines.push(line);
    }
  }
  return comments;
}

function draftComment(number: number, lines: readonly string[], articleAuthor: string | null): CommentDraft {
  // The scraped comments keep one paragraph per line (comment 1 even lost the blank lines between them), so
  // every non-blank line is a paragraph of its own.
  let paragraphs = lines.filter((line) => !isBlank(line)).map(foldWhitespace);
  let author: string | null = null;
  const last = paragraphs[paragraphs.length - 1];
  if (paragraphs.length > 1 && isSignature(last)) {
    author = last;
    paragraphs = paragraphs.slice(0, -1);
  }
  const text = paragraphs.join('\n');
  const byArticleAuthor = articleAuthor !== null && /\bmy article\b/i.test(text);
  return {
    comment: {
      number,
      author: byArticleAuthor ? articleAuthor : author,
      byArticleAuthor,
      replyTo: null,
      body: commentMarkdown(paragraphs),
    },
    text,
  };
}

/** A short closing line that is only a name: `D.W. Jenkins`, `M. Thorez` (two to four capitalised words). */
function isSignature(line: string): boolean {
  const words = line.split(' ');
  if (line.length > 40 || words.length < 2 || words.length > 4) return false;
  const isInitials = (word: string): boolean => /^(\p{Lu}\.)+$/u.test(word);
  const isName = (word: string): boolean => /^\p{Lu}[\p{Ll}’'-]+$/u.test(word);
  return words.every((word) => isInitials(word) || isName(word)) && words.some(isName);
}

/**
 * A comment that addresses "Mr X", "Mr. X" or "M X" answers the nearest earlier comment whose author is unknown
 * or is X; that comment's author becomes X. The article's author is addressed too ("M Mazaheri"), but that is
 * a reply to the article, not to a comment.
 */
function resolveReplies(drafts: readonly CommentDraft[], articleAuthor: string | null): void {
  const articleSurname = articleAuthor === null ? null : surnameOf(articleAuthor);
  drafts.forEach((draft, index) => {
    const addressed = addressedSurnames(draft.text).find((surname) => surname !== articleSurname);
    if (addressed === undefined) return;
    for (let earlier = index - 1; earlier >= 0; earlier--) {
      const answered = drafts[earlier].comment;
      if (answered.author === null || surnameOf(answered.author) === addressed) {
        answered.author ??= addressed;
        draft.comment.replyTo = answered.number;
        return;
      }
    }
  });
}

/**
 * Surnames after "Mr", "Mr." or "M", in order. A title directly after an opening quote mark is a nickname
 * (comment 8's “Mr. Dynamo” Mehdi Ben Barka), not someone being addressed.
 */
function addressedSurnames(text: string): string[] {
  return [...text.matchAll(/(?<![\p{L}“"‘])(?:Mr\.?|M) (\p{Lu}\p{L}+)/gu)].map((match) => match[1]);
}

function surnameOf(name: string): string {
  const words = name.trim().split(/\s+/);
  return words[words.length - 1];
}

/**
 * Paragraphs separated by a blank line; runs of `•` lines become one `- ` list; a paragraph that is entirely a
 * quotation becomes a `> ` blockquote. Nothing else is escaped except what would start unintended Markdown.
 */
function commentMarkdown(paragraphs: readonly string[]): string {
  const chunks: string[] = [];
  let listItems: string[] = [];
  const flushList = (): void => {
    if (listItems.length > 0) chunks.push(listItems.join('\n'));
    listItems = [];
  };
  for (const paragraph of paragraphs) {
    if (paragraph.startsWith('•')) {
      listItems.push(`- ${escapeBlockStart(paragraph.slice(1).trim())}`);
      continue;
    }
    flushList();
    chunks.push(isWhollyQuoted(paragraph) ? `> ${paragraph}` : escapeBlockStart(paragraph));
  }
  flushList();
  return chunks.join('\n\n');
}

/** Backslash-escapes a character that Markdown would read as a heading, quote, list or ordered-list marker. */
export function escapeBlockStart(text: string): string {
  if (/^[#>+*-]/.test(text)) return `\\${text}`;
  const ordered = /^(\d+)([.)])(\s|$)/.exec(text);
  if (ordered !== null) return `${ordered[1]}\\${text.slice(ordered[1].length)}`;
  return text;
}
