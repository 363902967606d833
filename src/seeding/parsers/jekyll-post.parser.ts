/**
 * Parses a Jekyll blog post: YAML-ish front matter between `---` lines, then a Markdown body in which each
 * highlighted quotation is wrapped in `<span style="color:red"> … </span>`.
 */
import type { ParsedBlock, ParsedDocument } from './parsed-document.js';
import { foldWhitespace, groupParagraphs, makeBlock, splitLines, tidyBlocks } from './text-utils.js';

const FRONT_MATTER_FENCE = '---';
const SPAN_OPEN = '<span';
const SPAN_CLOSE = '</span>';
/** The post is a personal notes blog that names no author. */
const AUTHOR = 'Anonymous';

export function parseJekyllPost(text: string): ParsedDocument {
  const lines = splitLines(text);
  const { fields, bodyStart } = readFrontMatter(lines);
  return {
    title: fields.get('title') ?? '',
    author: AUTHOR,
    publishedAt: null,
    tags: parseInlineList(fields.get('categories') ?? ''),
    source: null,
    blocks: tidyBlocks(parseBody(lines.slice(bodyStart))),
    comments: [],
  };
}

function readFrontMatter(lines: readonly string[]): { fields: Map<string, string>; bodyStart: number } {
  const fields = new Map<string, string>();
  if (lines[0]?.trim() !== FRONT_MATTER_FENCE) return { fields, bodyStart: 0 };
  let index = 1;
  for (; index < lines.length && lines[index].trim() !== FRONT_MATTER_FENCE; index++) {
    const colon = lines[index].indexOf(':');
    if (colon < 0) continue;
    const key = lines[index].slice(0, colon).trim();
    fields.set(key, unquote(lines[index].slice(colon + 1).trim()));
  }
  return { fields, bodyStart: index + 1 };
}

/** `[politics, communism]` → `['politics', 'communism']`. */
function parseInlineList(value: string): string[] {
  const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return inner
    .split(',')
    .map((item) => unquote(item.trim()))
    .filter((item) => item !== '');
}

/** Removes one pair of straight double quotes wrapping the whole value. */
function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).trim() : value;
}

function parseBody(lines: readonly string[]): ParsedBlock[] {
  const blocks: ParsedBlock[] = [];
  let pending: string[] = [];
  const flushParagraphs = (): void => {
    for (const group of groupParagraphs(pending)) blocks.push(makeBlock('paragraph', group.join(' '), 'markdown'));
    pending = [];
  };

  for (let index = 0; index < lines.length; index++) {
    if (!lines[index].trim().startsWith(SPAN_OPEN)) {
      pending.push(lines[index]);
      continue;
    }
    flushParagraphs();
    const spanLines: string[] = [];
    for (; index < lines.length; index++) {
      spanLines.push(lines[index]);
      if (lines[index].includes(SPAN_CLOSE)) break;
    }
    blocks.push(makeBlock('quote', spanQuotation(spanLines.join('\n')), 'plain'));
  }
  flushParagraphs();
  return blocks;
}

/**
 * The quotation inside a highlight span: the span's inner text, lines joined by a space. The straight `"` pair
 * that wraps the whole quotation is dropped (the block is already marked as a quote); quote marks inside it,
 * typographic or straight, are kept as written.
 */
function spanQuotation(span: string): string {
  const innerStart = span.indexOf('>') + 1;
  const innerEnd = span.includes(SPAN_CLOSE) ? span.indexOf(SPAN_CLOSE) : span.length;
  return unquote(foldWhitespace(span.slice(innerStart, innerEnd)));
}
