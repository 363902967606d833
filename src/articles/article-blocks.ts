import { createHash } from 'node:crypto';
import { escapeHtml, htmlToText, renderInlineMarkdown, sanitize } from '../common/markdown/markdown.js';
import { type BlockKind } from './article-block.entity.js';
import { type NewBlock } from './articles.repository.js';

/**
 * How an essay's body becomes blocks, shared by the seed importer (src/seeding/) and the API (POST /api/articles):
 * stable block ids, the excerpt and the slug. The seed parsers produce ParsedBlocks; Markdown sent to the API goes
 * through markdown-blocks.ts.
 */

const EXCERPT_LENGTH = 280;

export type ParsedBlockKind = BlockKind;

/** What a seed-format parser makes of one block of its source. */
export interface ParsedBlock {
  kind: ParsedBlockKind;
  /**
   * The block's content. For `list`, one item per line (no bullet characters). For every other kind, one line
   * (runs of white space folded to one space, trimmed).
   */
  content: string;
  /** `markdown`: content has inline Markdown (emphasis, links) to render; `plain`: literal text, to be escaped. */
  format: 'markdown' | 'plain';
}

/**
 * A block id that is the same at every import of the same document and on every machine: a hash of the article's key
 * (unique per article), the block's position, its kind and its source content. Block ids are the primary key of
 * article_blocks, so the key must differ between articles.
 */
export function stableBlockId(articleKey: string, position: number, kind: BlockKind, content: string): string {
  const digest = createHash('sha256').update(`${articleKey}\0${position}\0${kind}\0${content}`).digest('hex');
  return `b${digest.slice(0, 20)}`;
}

/** The seed parsers' blocks, rendered and given stable ids (see stableBlockId). */
export function buildBlocks(importKey: string, parsed: ParsedBlock[]): NewBlock[] {
  return parsed.map((block, position) => {
    const html = sanitize(renderBlockHtml(block));
    const text = block.format === 'markdown' ? htmlToText(html) : block.content;
    return {
      id: stableBlockId(importKey, position, block.kind, block.content),
      position,
      kind: block.kind,
      text,
      html,
    };
  });
}

function renderBlockHtml(block: ParsedBlock): string {
  const inline = (content: string) =>
    block.format === 'markdown' ? renderInlineMarkdown(content) : escapeHtml(content);
  switch (block.kind) {
    case 'heading':
      return `<h2>${inline(block.content)}</h2>`;
    case 'paragraph':
      return `<p>${inline(block.content)}</p>`;
    case 'quote':
      return `<blockquote><p>${inline(block.content)}</p></blockquote>`;
    case 'list':
      return `<ul>${block.content
        .split('\n')
        .filter((item) => item.trim().length > 0)
        .map((item) => `<li>${inline(item.trim())}</li>`)
        .join('')}</ul>`;
  }
}

/** The first paragraph, cut at a word boundary. */
export function excerptOf(blocks: Pick<NewBlock, 'kind' | 'text'>[]): string {
  const first = blocks.find((b) => b.kind === 'paragraph') ?? blocks[0];
  if (!first) return '';
  const text = first.text.replace(/\s+/g, ' ').trim();
  if (text.length <= EXCERPT_LENGTH) return text;
  const cut = text.slice(0, EXCERPT_LENGTH);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), EXCERPT_LENGTH / 2)).trimEnd()}…`;
}

/** A URL path segment from a title: lower-case ASCII words joined by dashes, at most 80 characters. */
export function slugify(title: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = '';
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > 80) break;
    slug = next;
  }
  return slug || 'article';
}
