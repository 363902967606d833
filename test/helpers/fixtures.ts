import { randomBytes } from 'node:crypto';
import { type INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildBlocks, excerptOf } from '../../src/articles/article-blocks.js';
import { ArticlesRepository } from '../../src/articles/articles.repository.js';
import { renderMarkdown } from '../../src/common/markdown/markdown.js';
import { type CommentStatus } from '../../src/comments/comment.entity.js';
import { CommentsRepository, type NewQuote } from '../../src/comments/comments.repository.js';
import { locateQuote } from '../../src/comments/quote-anchoring.js';
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
}

/** Every node of a thread answer's `items`, depth first, in the order the answer gives them. */
export function flattenThread<N>(nodes: readonly N[]): N[] {
  return nodes.flatMap((node) => [node, ...flattenThread((node as { replies?: N[] }).replies ?? [])]);
}
