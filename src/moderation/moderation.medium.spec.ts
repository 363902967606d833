import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Injectable, Module } from '@nestjs/common';
import { type ArticleFixture, Fixtures } from '../../test/helpers/fixtures.js';
import { type MediumContext, startMediumContext } from '../../test/helpers/medium.js';
import { ArticlesService } from '../articles/articles.service.js';
import { type Viewer } from '../auth/viewer.js';
import { type CommentHeld, type CommentPublished } from '../comments/comment.events.js';
import { CommentWritesService } from '../comments/comment-writes.service.js';
import { type NumberedArticleEvent } from '../events/domain-events.js';
import { OnArticleEvent, OnDomainEvent } from '../events/on-event.decorator.js';
import { ModerationService } from './moderation.service.js';

/** Everything the domains record, as any listener would hear it. */
@Injectable()
class Heard {
  readonly events: string[] = [];

  @OnArticleEvent()
  article({ type, seq }: NumberedArticleEvent): void {
    this.events.push(`${type} #${seq}`);
  }

  @OnDomainEvent('comment.published')
  published({ comment, parentAuthorId }: CommentPublished): void {
    this.events.push(`published ${comment.id}${parentAuthorId ? ` answering ${parentAuthorId}` : ''}`);
  }

  @OnDomainEvent('comment.held')
  held({ comment, isNew }: CommentHeld): void {
    this.events.push(`held ${comment.id}${isNew ? ' (new)' : ' (edited)'}`);
  }
}

@Module({ providers: [Heard] })
class HeardModule {}

/**
 * Comment writes and moderators' decisions: the services with their real repositories and the events layer on
 * PostgreSQL, no HTTP. What readers learn (article events) and what else happened (domain events) are recorded in
 * the write's transaction; counters move with every change of status.
 */
describe('comment writes and moderation (services, repositories and events on the real database)', () => {
  let context: MediumContext;
  let fx: Fixtures;
  let writes: CommentWritesService;
  let sut: ModerationService;
  let heard: Heard;
  let moderator: Viewer;
  let author: Viewer;
  let parentAuthor: Viewer;

  before(async () => {
    context = await startMediumContext({ modules: [HeardModule] });
    fx = new Fixtures(context.app);
    writes = context.app.get(CommentWritesService);
    sut = context.app.get(ModerationService);
    heard = context.app.get(Heard);
    moderator = { userId: (await fx.newUser()).id, role: 'moderator', ban: null };
    author = { userId: (await fx.newUser()).id, role: 'reader', ban: null };
    parentAuthor = { userId: (await fx.newUser()).id, role: 'reader', ban: null };
  });

  after(() => context.close());

  beforeEach(() => {
    heard.events.length = 0;
  });

  async function premoderated(): Promise<ArticleFixture> {
    const article = await fx.newArticle();
    await context.app.get(ArticlesService).updateSettings(article.slug, { premoderation: true }, moderator);
    heard.events.length = 0;
    return article;
  }

  const countOf = async (slug: string) => (await context.app.get(ArticlesService).get(slug)).commentCount;

  it('holds a comment in a premoderated essay: no article event, nothing counted, the queue hears of it', async () => {
    const article = await premoderated();
    const held = await writes.create(article.slug, { body: 'Held for review.' }, author);
    assert.equal(held.status, 'pending');
    assert.deepEqual(heard.events, [`held ${held.id} (new)`]);
    assert.equal(await countOf(article.slug), 0);
  });

  it('publishes a held reply on approval: numbered for readers, the parent’s author named, counted once', async () => {
    const article = await premoderated();
    const parent = await fx.newComment({ article, authorId: parentAuthor.userId as string });
    const before = await countOf(article.slug);
    const reply = await writes.create(article.slug, { body: 'A reply.', parentId: parent.id }, author);
    heard.events.length = 0;
    const approved = await sut.act('approve', reply.id, undefined, moderator);
    assert.equal(approved.status, 'visible');
    assert.equal(heard.events.length, 2);
    assert.match(heard.events[0], /^comment\.created #\d+$/);
    assert.equal(heard.events[1], `published ${reply.id} answering ${parentAuthor.userId}`);
    assert.equal(await countOf(article.slug), before + 1);
  });

  it('takes a removed comment from readers and gives it back on restore, with nothing published twice', async () => {
    const article = await fx.newArticle();
    const comment = await writes.create(article.slug, { body: 'Visible at once.' }, author);
    assert.match(heard.events[0], /^comment\.created #(\d+)$/);
    const created = Number(/#(\d+)/.exec(heard.events[0])?.[1]);
    heard.events.length = 0;
    await sut.act('remove', comment.id, 'off topic', moderator);
    await sut.act('restore', comment.id, undefined, moderator);
    assert.deepEqual(heard.events, [`comment.removed #${created + 1}`, `comment.restored #${created + 2}`]);
    assert.equal(await countOf(article.slug), 1);
  });

  it('records nothing and moves nothing when a decision is refused', async () => {
    const article = await fx.newArticle();
    const comment = await writes.create(article.slug, { body: 'Never removed.' }, author);
    heard.events.length = 0;
    await assert.rejects(sut.act('restore', comment.id, undefined, moderator), /cannot be restored/);
    assert.deepEqual(heard.events, []);
    assert.equal(await countOf(article.slug), 1);
  });

  it('sends an edited comment back to review in a premoderated essay: readers lose it, the queue hears of it', async () => {
    const article = await fx.newArticle();
    const comment = await writes.create(article.slug, { body: 'First version.' }, author);
    await context.app.get(ArticlesService).updateSettings(article.slug, { premoderation: true }, moderator);
    heard.events.length = 0;
    const edited = await writes.edit(comment.id, 'Second version.', author);
    assert.equal(edited.status, 'pending');
    assert.equal(heard.events.length, 2);
    assert.match(heard.events[0], /^comment\.removed #\d+$/);
    assert.equal(heard.events[1], `held ${comment.id} (edited)`);
    assert.equal(await countOf(article.slug), 0);
  });
});
