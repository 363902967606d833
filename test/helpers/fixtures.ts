import { randomBytes } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildBlocks, excerptOf } from '../../src/articles/article-blocks.js';
import { ArticlesRepository } from '../../src/articles/articles.repository.js';
import { renderMarkdown } from '../../src/common/markdown/markdown.js';
import { type CommentStatus } from '../../src/comments/comment.entity.js';
import { CommentEvents } from '../../src/comments/comment-events.js';
import { counterDeltas } from '../../src/comments/comment-rules.js';
import { type CommentRow, CommentsRepository, type NewQuote } from '../../src/comments/comments.repository.js';
import { toCommentDto } from '../../src/comments/dto/comment.mapper.js';
import { locateQuote } from '../../src/comments/quote-anchoring.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { UsersRepository } from '../../src/users/users.repository.js';

export interface ArticleFixture {
  id: string;
  slug: string;
  blocks: { id: string; text: string }[];
}

export interface CommentFixture {
  id: string;
  path: string[];
}

/** Small helpers that put data in place through the app's own repositories. */
export class Fixtures {
  private readonly dataSource: DataSource;

  constructor(private readonly app: INestApplicationContext) {
    this.dataSource = app.get(DataSource);
  }

  async newUser(name = `user-${randomBytes(3).toString('hex')}`): Promise<{ id: string; username: string }> {
    const user = await this.app.get(UsersRepository).ensureImportedUser(this.dataSource.manager, name, name);
    return { id: user.id, username: user.username };
  }

  async newArticle(
    paragraphs: string[] = ['The first paragraph of a test essay.', 'A second paragraph, to quote.'],
  ): Promise<ArticleFixture> {
    const key = `test-${randomBytes(6).toString('hex')}`;
    const blocks = buildBlocks(
      key,
      paragraphs.map((content) => ({ kind: 'paragraph' as const, content, format: 'plain' as const })),
    );
    const article = await this.dataSource.transaction((manager) =>
      this.app.get(ArticlesRepository).insertWithBlocks(
        manager,
        {
          slug: key,
          title: `Essay ${key}`,
          author: 'A. Writer',
          publishedAt: new Date('2024-01-19T00:00:00.000Z'),
          listedAt: new Date(),
          excerpt: excerptOf(blocks),
          tags: ['test'],
          source: null,
          importKey: null,
        },
        blocks,
      ),
    );
    return { id: article.id, slug: article.slug, blocks: blocks.map((b) => ({ id: b.id, text: b.text })) };
  }

  /** A comment, with counters brought up to date as the app's own writes would leave them. */
  async newComment(options: {
    article: ArticleFixture;
    parent?: CommentFixture;
    authorId?: string;
    body?: string;
    status?: CommentStatus;
    createdAt?: Date;
    votes?: { up: number; down: number };
    quoteBlockId?: string;
  }): Promise<CommentFixture> {
    const authorId = options.authorId ?? (await this.newUser()).id;
    const body = options.body ?? `A comment ${randomBytes(4).toString('hex')}`;
    const comments = this.app.get(CommentsRepository);
    return this.dataSource.transaction(async (manager) => {
      const block = options.quoteBlockId
        ? options.article.blocks.find((b) => b.id === options.quoteBlockId)
        : undefined;
      const quotes: NewQuote[] = block
        ? [
            {
              source: 'article',
              blockId: block.id,
              quotedCommentId: null,
              text: block.text,
              verified: true,
              position: locateQuote(block.text, block.text),
            },
          ]
        : [];
      const row = await comments.insertComment(
        manager,
        {
          articleId: options.article.id,
          parent: options.parent ?? null,
          authorId,
          body,
          html: renderMarkdown(body),
          status: options.status ?? 'visible',
          stance: null,
          createdAt: options.createdAt,
        },
        quotes,
      );
      if (options.votes) await comments.applyVoteCounters(manager, row.id, options.votes.up, options.votes.down);
      await comments.recountReplies(manager, options.article.id);
      await this.app.get(ArticlesRepository).recountComments(manager, options.article.id);
      return row;
    });
  }

  /**
   * Top-level comments by `authorId`, each written as posting writes a visible one (CommentWritesService.create): its
   * row, the article's counters, and its numbered `comment.created` event with the `comment.published` fact, handed
   * to the live listeners once committed. All in one transaction and without a request's checks: for tests about what
   * follows many comments (a long catch-up), where posting them one request at a time took seconds.
   */
  async postComments(article: ArticleFixture, authorId: string, bodies: string[]): Promise<CommentFixture[]> {
    const comments = this.app.get(CommentsRepository);
    const articles = this.app.get(ArticlesRepository);
    const events = this.app.get(CommentEvents);
    const author = { userId: authorId, role: 'reader' as const, ban: null };
    return this.app.get(UnitOfWork).run(async (tx) => {
      const posted: CommentFixture[] = [];
      for (const body of bodies) {
        const inserted = await comments.insertComment(
          tx,
          {
            articleId: article.id,
            parent: null,
            authorId,
            body,
            html: renderMarkdown(body),
            status: 'visible',
            stance: null,
          },
          [],
        );
        const row = (await comments.findById(inserted.id, tx)) as CommentRow;
        const delta = counterDeltas(null, row.status, row.published);
        const counters = articles.commentCounterChange(article.id, delta.visible, {
          createdAt: row.createdAt,
          stance: row.stance,
          topLevel: true,
        });
        events.posted(tx, row, [], toCommentDto(row, [], author, 0), null, counters, null);
        posted.push(inserted);
      }
      return posted;
    });
  }
}

/** Every node of a thread answer's `items`, depth first, in the order the answer gives them. */
export function flattenThread<N>(nodes: readonly N[]): N[] {
  return nodes.flatMap((node) => [node, ...flattenThread((node as { replies?: N[] }).replies ?? [])]);
}
