import { decodeEntities } from '../common/markdown/markdown.js';
import { type BlockKind } from './article-block.entity.js';

/**
 * An essay's blocks written back as Markdown: the source of an essay that was never written in Markdown (the seeds,
 * imported from other formats) or whose Markdown was not kept (published before revisions were). Read back by
 * markdown-blocks.ts, it gives the same blocks (kind and text; html up to white space), so that an admin who saves it
 * unchanged changes nothing. It reads only the html our own sanitizer lets through: emphasis, strong, strike-through,
 * code, links and line breaks inside a block; headings, paragraphs, code blocks, quotations and lists around them.
 */
export function blocksToMarkdown(blocks: { kind: BlockKind; text: string; html: string }[]): string {
  return blocks.map(blockToMarkdown).join('\n\n') + '\n';
}

function blockToMarkdown(block: { kind: BlockKind; text: string; html: string }): string {
  const html = block.html.trim();
  switch (block.kind) {
    case 'heading': {
      const content = inner(html, /^<h[1-6][^>]*>([\s\S]*)<\/h[1-6]>$/);
      return `## ${content !== null ? inline(content) : escapeText(block.text)}`;
    }
    case 'paragraph': {
      if (html.startsWith('<pre')) return fenced(block.text);
      const content = inner(html, /^<p[^>]*>([\s\S]*)<\/p>$/);
      return content !== null && !/<\/?(p|pre|ul|ol|li|blockquote|h\d)\b/.test(content)
        ? lineStart(inline(content))
        : lineStart(escapeText(block.text));
    }
    case 'quote': {
      const content = inner(html, /^<blockquote[^>]*>([\s\S]*)<\/blockquote>$/) ?? '';
      const paragraphs = [...content.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/g)].map((m) => lineStart(inline(m[1])));
      const simple = paragraphs.length > 0 && content.replace(/<p[^>]*>[\s\S]*?<\/p>/g, '').trim() === '';
      const lines = simple ? paragraphs : block.text.split('\n').map((line) => lineStart(escapeText(line)));
      return lines.map((line) => `> ${line}`).join('\n>\n');
    }
    case 'list': {
      const ordered = html.startsWith('<ol');
      const items = [...html.matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((m) => m[1]);
      const flat = items.length > 0 && !items.some((item) => /<\/?(ul|ol|li|p)\b/.test(item));
      const lines = flat ? items.map(inline) : block.text.split('\n').map(escapeText);
      return lines.map((line, index) => `${ordered ? `${index + 1}.` : '-'} ${line}`).join('\n');
    }
  }
}

function inner(html: string, pattern: RegExp): string | null {
  return pattern.exec(html)?.[1] ?? null;
}

const MARKS: Record<string, string> = { em: '*', i: '*', strong: '**', b: '**', s: '~~', del: '~~' };

/** Inline html → Markdown: text escaped, formatting tags as their Markdown marks, links as [text](href), code as is. */
function inline(html: string): string {
  let out = '';
  let code: string | null = null;
  const links: string[] = [];
  for (const [token] of html.matchAll(/<[^>]+>|[^<]+/g)) {
    const tag = /^<(\/?)([a-z0-9]+)([^>]*)>$/i.exec(token);
    if (!tag) {
      const text = decodeEntities(token).replace(/\s+/g, ' ');
      if (code !== null) code += text;
      else out += escapeText(text);
      continue;
    }
    const [, closing, rawName, attributes] = tag;
    const name = rawName.toLowerCase();
    if (name === 'code') {
      if (!closing) code = '';
      else if (code !== null) {
        out += codeSpan(code);
        code = null;
      }
    } else if (name in MARKS) out += MARKS[name];
    else if (name === 'br') out += '\\\n';
    else if (name === 'a' && !closing) {
      const href = /href="([^"]*)"/.exec(attributes)?.[1];
      links.push(href ? decodeEntities(href) : '');
      out += '[';
    } else if (name === 'a') {
      out += `](<${(links.pop() ?? '').replace(/[<>\s]/g, encodeURIComponent)}>)`;
    }
  }
  return out.trim();
}

/** A code span in a run of backticks longer than any inside it, padded when it starts or ends with one. */
function codeSpan(code: string): string {
  const fence = '`'.repeat(Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const padded = code.startsWith('`') || code.endsWith('`') ? ` ${code} ` : code;
  return `${fence}${padded}${fence}`;
}

/** Characters that could start Markdown inside a line, escaped with a backslash. */
function escapeText(text: string): string {
  return text.replace(/[\\`*_[\]<>~|]/g, '\\$&').replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
}

/** A line that would read as a heading, a list item, a quotation or a break at its start is escaped there. */
function lineStart(line: string): string {
  return line.replace(
    /^(\s*)([#+\-=>]|\d+[.)])/,
    (_whole, space: string, mark: string) =>
      `${space}${mark.replace(/^(\d+)([.)])$/, '$1\\$2').replace(/^([#+\-=>])$/, '\\$1')}`,
  );
}

/** A code block in a fence longer than any run of backticks in it. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}
