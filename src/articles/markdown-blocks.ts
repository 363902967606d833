import MarkdownIt, { type Token } from 'markdown-it';
import { escapeHtml, foldWhiteSpace, htmlToText, sanitize } from '../common/markdown/markdown.js';
import { stableBlockId } from './article-blocks.js';
import { type BlockKind } from './article-block.entity.js';
import { type NewBlock } from './articles.repository.js';

/** One block of an essay written in Markdown, before it has an id. */
export interface MarkdownBlock {
  kind: BlockKind;
  /** Plain text: what a reader sees, what quotes are verified against (list items one per line). */
  text: string;
  /** Sanitised html. */
  html: string;
  /** The Markdown lines the block came from (hashed into its id). */
  source: string;
}

/**
 * The tokenizer. Raw html is recognised (html: true) only so that it can be dropped: html blocks are removed whole and
 * inline tags are removed (their text stays); nothing of it is ever rendered. Otherwise the options of the comment
 * renderer (linkify on, typographer off, markdown-it's link validation, which refuses javascript:, vbscript:, file:
 * and most data: urls) and, after rendering, the same sanitizer (src/common/markdown). Tables are not a block kind:
 * with the table rule off, a table stays a paragraph of its text as written.
 */
const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false, breaks: false }).disable('table');
// A soft line break is a space: a paragraph's text stays one line.
markdown.renderer.rules.softbreak = () => ' ';
// An essay's images are not embedded (no tracker, no data: url): the image stands as its alt text.
markdown.renderer.rules.image = (tokens, idx, options, env, self) =>
  escapeHtml(self.renderInlineAsText(tokens[idx].children ?? [], options, env));

/** Top-level tokens that start a block, and the kind of block. */
const KIND_OF: Partial<Record<string, BlockKind>> = {
  heading_open: 'heading',
  paragraph_open: 'paragraph',
  blockquote_open: 'quote',
  bullet_list_open: 'list',
  ordered_list_open: 'list',
  // Code is a paragraph (rendered <pre><code>): quotable like any text, its lines kept in `text`.
  code_block: 'paragraph',
  fence: 'paragraph',
};

const LINE_BREAK_TAG = /^<br\s*\/?>$/i;

/**
 * Markdown → blocks, in order: `#`-`######` headings → heading (`#` renders as h2: the page's h1 is the title),
 * paragraphs → paragraph, `>` quotations → quote (whatever they hold), bullet and numbered lists → list (text: the
 * items one per line, nested items too), indented and fenced code → paragraph. Thematic breaks, html blocks and
 * blocks left without text (an empty heading, a paragraph of html tags) are dropped.
 */
export function parseMarkdownBlocks(source: string): MarkdownBlock[] {
  const env = {};
  const tokens = markdown.parse(source, env);
  // markdown-it's line numbers (token.map) count lines of the source with its line endings normalised.
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: MarkdownBlock[] = [];
  for (let start = 0; start < tokens.length;) {
    const end = closingIndex(tokens, start);
    const first = tokens[start];
    const kind = KIND_OF[first.type];
    const group = tokens.slice(start, end + 1);
    start = end + 1;
    if (!kind) continue;
    const html = sanitize(markdown.renderer.render(withoutHtml(group), markdown.options, env));
    const text =
      kind === 'quote' || kind === 'list' || first.type === 'fence' || first.type === 'code_block'
        ? htmlToText(html)
        : foldWhiteSpace(htmlToText(html));
    if (text === '') continue;
    const [from, to] = first.map ?? [0, 0];
    blocks.push({ kind, text, html, source: lines.slice(from, to).join('\n') });
  }
  return blocks;
}

/** The blocks of an essay with ids that are stable for the article's key (its slug) and unique within it. */
export function markdownBlocksWithIds(articleKey: string, blocks: MarkdownBlock[]): NewBlock[] {
  return blocks.map((block, position) => ({
    id: stableBlockId(articleKey, position, block.kind, block.source),
    position,
    kind: block.kind,
    text: block.text,
    html: block.html,
  }));
}

/** The index of the token that closes the one at `start` (itself for a token that opens nothing). */
function closingIndex(tokens: Token[], start: number): number {
  const open = tokens[start];
  if (open.nesting !== 1) return start;
  for (let i = start + 1; i < tokens.length; i++) {
    if (tokens[i].nesting === -1 && tokens[i].level === open.level) return i;
  }
  return tokens.length - 1;
}

/** The tokens with every piece of raw html taken out (an inline `<br>` becomes a line break); headings h1 → h2. */
function withoutHtml(tokens: Token[]): Token[] {
  const kept: Token[] = [];
  for (const token of tokens) {
    if (token.type === 'html_block') continue;
    if ((token.type === 'heading_open' || token.type === 'heading_close') && token.tag === 'h1') token.tag = 'h2';
    if (token.type === 'inline' && token.children) {
      token.children = token.children.flatMap((child) => {
        if (child.type !== 'html_inline') return [child];
        if (!LINE_BREAK_TAG.test(child.content.trim())) return [];
        child.type = 'hardbreak';
        child.tag = 'br';
        return [child];
      });
    }
    kept.push(token);
  }
  return kept;
}
