import { createHash } from 'node:crypto';
import { type NewBlock } from '../src/articles/articles.repository.js';
import { escapeHtml, htmlToText, renderInlineMarkdown, sanitize } from '../src/common/markdown/markdown.js';
import { type ParsedBlock } from './parsers/parsed-document.js';

const EXCERPT_LENGTH = 280;

/**
 * Blocks with stable ids: the id is a hash of the document's import key, the block's position and its content, so
 * it is the same at every import of the same document and on every machine.
 */
export function buildBlocks(importKey: string, parsed: ParsedBlock[]): NewBlock[] {
  return parsed.map((block, position) => {
    const html = sanitize(renderBlockHtml(block));
    const text = block.format === 'markdown' ? htmlToText(html) : block.content;
    const digest = createHash('sha256').update(`${importKey}\0${position}\0${block.kind}\0${block.content}`).digest('hex');
    return { id: `b${digest.slice(0, 20)}`, position, kind: block.kind, text, html };
  });
}

function renderBlockHtml(block: ParsedBlock): string {
  const inline = (content: string) => (block.format === 'markdown' ? renderInlineMarkdown(content) : escapeHtml(content));
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
export function excerptOf(blocks: NewBlock[]): string {
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

/** A username (3-32 of [a-z0-9-]) for the author of an imported comment. */
export function usernameFor(displayName: string): string {
  const base = slugify(displayName).slice(0, 32).replace(/-+$/, '');
  return base.length >= 3 ? base : `${base}-reader`.replace(/^-/, '');
}
