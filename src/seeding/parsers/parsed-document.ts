/**
 * What every source-format parser produces. The importer (seed-importer.ts) turns it into articles, blocks, seeded
 * users and the seeded thread; parsers know nothing of the database.
 */

import type { ParsedBlock } from '../../articles/article-blocks.js';

// A block of the source is defined beside the code that renders it, shared with the API.
export type { ParsedBlock, ParsedBlockKind } from '../../articles/article-blocks.js';

export interface ParsedComment {
  /** The comment's number in the source (1-based, as printed). */
  number: number;
  /** The author's name as the text gives it (a signature, or how another comment names them); null when unknown. */
  author: string | null;
  /** True when the comment is by the article's author. */
  byArticleAuthor: boolean;
  /** The number of the comment this one answers, or null when it answers the article. */
  replyTo: number | null;
  /** The comment's text as Markdown: paragraphs separated by a blank line, bullets as `- ` items, no signature line. */
  body: string;
}

export interface ParsedDocument {
  title: string;
  author: string;
  /** ISO-8601 date (UTC midnight) when the source gives one, else null. */
  publishedAt: string | null;
  tags: string[];
  /** Where the text was first published / its provenance, as free text; null when the source says nothing. */
  source: string | null;
  blocks: ParsedBlock[];
  comments: ParsedComment[];
}
