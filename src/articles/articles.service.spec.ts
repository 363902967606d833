import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { type Viewer } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { type CursorCodec } from '../common/pagination/cursor-codec.js';
import { type UnitOfWork } from '../database/unit-of-work.js';
import { type AuditEntry, type AuditLog } from '../audit/audit-log.js';
import { type EventBus } from '../events/event-bus.js';
import { type ArticleBlockEntity } from './article-block.entity.js';
import { type ArticleEntity } from './article.entity.js';
import { type ArticlesRepository, type NewArticle, type NewBlock } from './articles.repository.js';
import { EssayRevisionHooks } from './essay-revision-hooks.js';
import { ArticlesService } from './articles.service.js';
import { type CreateArticleDto } from './dto/create-article.dto.js';

/** Articles in memory, with the unique slug the database enforces; `takenMeanwhile` plays concurrent winners. */
class FakeArticles {
  readonly slugs = new Set<string>();
  readonly inserted: { article: NewArticle; blocks: NewBlock[] }[] = [];
  /** Before each insert, one of these (if any) is taken by "another request", as if it committed just before. */
  takenMeanwhile: (string | null)[] = [];
  takeEveryTime = false;
  inserts = 0;

  findSlugsNumbered(_tx: unknown, base: string): Promise<string[]> {
    return Promise.resolve([...this.slugs].filter((slug) => slug === base || new RegExp(`^${base}-\\d+$`).test(slug)));
  }

  insertUnlessSlugTaken(_tx: unknown, article: NewArticle, blocks: NewBlock[]): Promise<ArticleEntity | null> {
    this.inserts++;
    const stolen = this.takeEveryTime ? article.slug : this.takenMeanwhile.shift();
    if (stolen) this.slugs.add(stolen);
    if (this.slugs.has(article.slug)) return Promise.resolve(null);
    this.slugs.add(article.slug);
    this.inserted.push({ article, blocks });
    const id = String(this.inserted.length);
    return Promise.resolve({
      ...article,
      id,
      locked: false,
      premoderation: false,
      slowModeSeconds: 0,
      commentCount: 0,
      lastCommentAt: null,
      eventSeq: '0',
      createdAt: new Date(),
      stanceAgree: 0,
      stanceDisagree: 0,
      stanceQuestion: 0,
      stanceEvidence: 0,
      revision: 1,
      updatedAt: new Date(),
      canonicalUrl: article.canonicalUrl ?? null,
    });
  }

  findBlocks(articleId: string): Promise<ArticleBlockEntity[]> {
    const { blocks } = this.inserted[Number(articleId) - 1];
    return Promise.resolve(
      blocks.map((block) => ({
        ...block,
        articleId,
        commentCount: 0,
        stanceAgree: 0,
        stanceDisagree: 0,
        stanceQuestion: 0,
        stanceEvidence: 0,
      })),
    );
  }
}

const ADMIN: Viewer = { userId: '1', role: 'admin', ban: null };
const ESSAY: CreateArticleDto = { title: 'An Essay', body: '# Part one\n\nThe first paragraph.', author: 'A. Writer' };

describe('ArticlesService.create', () => {
  let articles: FakeArticles;
  let logged: AuditEntry[];
  let sut: ArticlesService;

  beforeEach(() => {
    articles = new FakeArticles();
    logged = [];
    const audit = { record: (_tx: unknown, entry: AuditEntry) => Promise.resolve(String(logged.push(entry))) };
    const uow = { run: <T>(work: (tx: unknown) => Promise<T>) => work({}) };
    sut = new ArticlesService(
      articles as unknown as ArticlesRepository,
      {} as CursorCodec,
      uow as unknown as UnitOfWork,
      {} as EventBus,
      audit as unknown as AuditLog,
      new EssayRevisionHooks(),
    );
  });

  async function refusal(promise: Promise<unknown>): Promise<ErrorCode> {
    const error = await promise.then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DomainError, String(error));
    return error.code;
  }

  it('answers the article with its blocks, counts at zero, default settings and seq 0', async () => {
    const article = await sut.create({ ...ESSAY, tags: ['a', 'b'], publishedAt: '2024-01-19T10:00:00+01:00' }, ADMIN);
    assert.equal(article.slug, 'an-essay');
    assert.equal(article.publishedAt, '2024-01-19T09:00:00.000Z');
    assert.deepEqual(article.tags, ['a', 'b']);
    assert.equal(article.source, null);
    assert.equal(article.excerpt, 'The first paragraph.');
    assert.deepEqual(article.settings, { locked: false, premoderation: false, slowModeSeconds: 0 });
    assert.equal(article.seq, 0);
    assert.deepEqual(
      article.blocks.map(({ kind, text, commentCount }) => ({ kind, text, commentCount })),
      [
        { kind: 'heading', text: 'Part one', commentCount: 0 },
        { kind: 'paragraph', text: 'The first paragraph.', commentCount: 0 },
      ],
    );
    assert.deepEqual(logged, [
      {
        actorId: '1',
        action: 'article.create',
        articleId: article.id,
        details: { slug: 'an-essay', title: 'An Essay' },
      },
    ]);
  });

  it('refuses anyone but an admin who is not banned, writing nothing', async () => {
    const cases: [Viewer, ErrorCode][] = [
      [{ userId: null, role: null, ban: null }, ErrorCode.Unauthenticated],
      [{ userId: '2', role: 'reader', ban: null }, ErrorCode.Forbidden],
      [{ userId: '3', role: 'moderator', ban: null }, ErrorCode.Forbidden],
      [{ userId: '4', role: 'admin', ban: { until: null, reason: 'test' } }, ErrorCode.Forbidden],
    ];
    for (const [viewer, code] of cases)
      assert.equal(await refusal(sut.create(ESSAY, viewer)), code, JSON.stringify(viewer));
    assert.equal(articles.inserts, 0);
  });

  it('refuses a body that leaves no block, with a validation error', async () => {
    for (const body of ['---', '<div>only html</div>', '   ']) {
      assert.equal(await refusal(sut.create({ ...ESSAY, body }, ADMIN)), ErrorCode.ValidationFailed, body);
    }
    assert.equal(articles.inserts, 0);
  });

  it('numbers a slug that is taken with the smallest free number', async () => {
    for (const slug of ['an-essay', 'an-essay-2', 'an-essay-2024']) articles.slugs.add(slug);
    assert.equal((await sut.create(ESSAY, ADMIN)).slug, 'an-essay-3');
    assert.equal((await sut.create(ESSAY, ADMIN)).slug, 'an-essay-4');
  });

  it('moves on to the next number when another request takes the slug first, with block ids of the slug it got', async () => {
    articles.takenMeanwhile = ['an-essay', 'an-essay-2'];
    const article = await sut.create(ESSAY, ADMIN);
    assert.equal(article.slug, 'an-essay-3');
    assert.equal(articles.inserts, 3);
    const again = await sut.create({ ...ESSAY, title: 'Another' }, ADMIN);
    assert.notDeepEqual(
      again.blocks.map((b) => b.id),
      article.blocks.map((b) => b.id),
      'the same body in another article has other block ids',
    );
  });

  it('gives up after a bounded number of tries with a 503 to retry', async () => {
    articles.takeEveryTime = true;
    assert.equal(await refusal(sut.create(ESSAY, ADMIN)), ErrorCode.ServiceUnavailable);
    assert.ok(articles.inserts > 1 && articles.inserts <= 50, `${articles.inserts} tries`);
  });
});
