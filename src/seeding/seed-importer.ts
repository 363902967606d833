import { readFile } from 'node:fs/promises';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { buildBlocks, excerptOf, slugify } from '../articles/article-blocks.js';
import { ArticlesRepository, type NewBlock } from '../articles/articles.repository.js';
import { blocksToMarkdown } from '../articles/blocks-markdown.js';
import { firstFreeSlug } from '../articles/free-slug.js';
import { renderMarkdown } from '../common/markdown/markdown.js';
import { CommentsRepository } from '../comments/comments.repository.js';
import { locateQuote } from '../comments/quote-anchoring.js';
import { quoteStandsIn } from '../comments/quote-verification.js';
import { UsersRepository } from '../users/users.repository.js';
import { type Stance } from '../common/limits.js';
import { type ParsedComment, type ParsedDocument } from './parsers/parsed-document.js';
import { locateQuotes } from './quote-locator.js';
import { DOCUMENTS_DIR, SEED_DOCUMENTS, type SeedDocument } from './seed-documents.js';

export interface ImportReport {
  imported: string[];
  skipped: string[];
}

/**
 * Imports the seed documents: each article with its blocks, and the reader thread of the one that has comments.
 * Idempotent: a document whose import key is present is skipped whole, so a second run changes nothing. Each
 * document is one transaction under an advisory lock, so processes starting together import it once.
 */
@Injectable()
export class SeedImporter {
  private readonly logger = new Logger('Seeds');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly articles: ArticlesRepository,
    private readonly comments: CommentsRepository,
    private readonly users: UsersRepository,
  ) {}

  async importAll(documents: SeedDocument[] = SEED_DOCUMENTS): Promise<ImportReport> {
    const report: ImportReport = { imported: [], skipped: [] };
    for (const [index, document] of documents.entries()) {
      const importKey = document.file.replace(/\.[^.]+$/, '');
      const text = await readFile(new URL(document.file, DOCUMENTS_DIR), 'utf8');
      const parsed = document.parse(text);
      const done = await this.dataSource.transaction((manager) =>
        this.importOne(manager, importKey, parsed, index, document.stances ?? {}),
      );
      (done ? report.imported : report.skipped).push(importKey);
    }
    if (report.imported.length > 0)
      this.logger.log(`Imported ${report.imported.length} seed document(s): ${report.imported.join(', ')}`);
    return report;
  }

  private async importOne(
    manager: EntityManager,
    importKey: string,
    parsed: ParsedDocument,
    index: number,
    stances: Readonly<Record<number, Stance>>,
  ): Promise<boolean> {
    await this.articles.lockImports(manager);
    if (await this.articles.findByImportKey(importKey, manager)) return false;
    const blocks = buildBlocks(importKey, parsed.blocks);
    const importedAt = new Date();
    const publishedAt = parsed.publishedAt ? new Date(parsed.publishedAt) : null;
    const article = await this.articles.insertWithBlocks(
      manager,
      {
        slug: await this.freeSlug(manager, slugify(parsed.title)),
        title: parsed.title,
        author: parsed.author,
        publishedAt,
        listedAt: publishedAt ?? new Date(importedAt.getTime() - index),
        excerpt: excerptOf(blocks),
        tags: parsed.tags,
        source: parsed.source,
        importKey,
      },
      blocks,
      // Not written in Markdown: its source is derived once, here, so that an admin's edit starts from it.
      { body: blocksToMarkdown(blocks), byUserId: null },
    );
    await this.importThread(manager, article.id, importKey, parsed, blocks, importedAt, stances);
    await this.comments.recountReplies(manager, article.id);
    await this.articles.recountComments(manager, article.id);
    return true;
  }

  /** The comments in order; a reply hangs under the comment it answers; quoted passages anchor to their blocks. */
  private async importThread(
    manager: EntityManager,
    articleId: string,
    importKey: string,
    parsed: ParsedDocument,
    blocks: NewBlock[],
    importedAt: Date,
    stances: Readonly<Record<number, Stance>>,
  ): Promise<void> {
    const inserted = new Map<number, { id: string; path: string[] }>();
    for (const [i, comment] of parsed.comments.entries()) {
      const author = await this.users.ensureImportedUser(
        manager,
        this.usernameOf(comment, importKey),
        this.displayNameOf(comment, parsed),
      );
      const parent = comment.replyTo !== null ? (inserted.get(comment.replyTo) ?? null) : null;
      const quotes = locateQuotes(comment.body, blocks).map((q) => {
        const blockText = blocks.find((b) => b.id === q.blockId)?.text ?? '';
        return {
          source: 'article' as const,
          blockId: q.blockId,
          quotedCommentId: null,
          text: q.text,
          verified: quoteStandsIn(q.text, blockText),
          position: locateQuote(blockText, q.text),
        };
      });
      const row = await this.comments.insertComment(
        manager,
        {
          articleId,
          parent,
          authorId: author.id,
          body: comment.body,
          html: renderMarkdown(comment.body),
          status: 'visible',
          stance: stances[comment.number] ?? null,
          // In the order of the page, the last one an hour before the import.
          createdAt: new Date(importedAt.getTime() - (parsed.comments.length - i) * 3_600_000),
          importKey: `${importKey}#${comment.number}`,
        },
        quotes,
      );
      inserted.set(comment.number, row);
    }
  }

  private usernameOf(comment: ParsedComment, importKey: string): string {
    return comment.author ? usernameFor(comment.author) : `reader-${importKey.slice(0, 3)}-${comment.number}`;
  }

  private displayNameOf(comment: ParsedComment, parsed: ParsedDocument): string {
    if (comment.byArticleAuthor) return parsed.author;
    return comment.author ?? 'Anonymous reader';
  }

  private async freeSlug(manager: EntityManager, base: string): Promise<string> {
    return firstFreeSlug(base, await this.articles.findSlugsNumbered(manager, base));
  }
}

/** A username (3-32 of [a-z0-9-]) for the author of an imported comment. */
export function usernameFor(displayName: string): string {
  const base = slugify(displayName).slice(0, 32).replace(/-+$/, '');
  return base.length >= 3 ? base : `${base}-reader`.replace(/^-/, '');
}
