import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ArticleFixture, Fixtures } from '../../test/helpers/fixtures.js';
import { type MediumContext, startMediumContext } from '../../test/helpers/medium.js';
import { ArticlesService } from '../articles/articles.service.js';
import { type Viewer } from '../auth/viewer.js';
import { CommentWritesService } from '../comments/comment-writes.service.js';
import { type CommentDto } from '../comments/dto/comment.dto.js';
import { ModerationService } from '../moderation/moderation.service.js';
import { type NotificationDto } from './dto/notification.dto.js';
import { FollowsRepository } from './follows.repository.js';
import { FollowsService } from './follows.service.js';
import { NotificationsService } from './notifications.service.js';

interface Reader {
  viewer: Viewer;
  id: string;
  username: string;
}

/**
 * Who is notified of what: the fan-out on the real database, through the services the HTTP routes use. The listeners
 * run the same fan-out after each commit; a test calls it again and awaits it, which (the fan-out being idempotent)
 * returns once every notification the comment owes exists, so absences are asserted without waiting.
 */
describe('notification rules (the fan-out and the inbox on the real database)', () => {
  let context: MediumContext;
  let fx: Fixtures;
  let writes: CommentWritesService;
  let moderation: ModerationService;
  let follows: FollowsService;
  let sut: NotificationsService;
  let moderator: Reader;

  async function reader(role: 'reader' | 'moderator' = 'reader'): Promise<Reader> {
    const user = await fx.newUser(`n_${Math.random().toString(36).slice(2, 10)}`);
    return { id: user.id, username: user.username, viewer: { userId: user.id, role, ban: null } };
  }

  /** Posts through the write path, then awaits the comment's fan-out (see above). */
  async function post(
    who: Reader,
    article: ArticleFixture,
    body: string,
    extra: { parentId?: string; quote?: { source: 'comment'; commentId: string; text: string } } = {},
  ): Promise<CommentDto> {
    const comment = await writes.create(article.slug, { body, ...extra }, who.viewer);
    await sut.notifyAboutComment(comment.id, 'everyone', comment.createdAt);
    return comment;
  }

  const inbox = async (who: Reader, unread = false) =>
    sut.list({ limit: 100, unread: unread ? 'true' : undefined }, who.viewer);

  const about = async (who: Reader, commentId: string): Promise<NotificationDto[]> =>
    (await inbox(who)).items.filter((n) => n.comment?.id === commentId);

  /** Polls the inbox until a notification `accepts` arrives (a moderator's decision is notified after commit). */
  async function waitFor(who: Reader, accepts: (n: NotificationDto) => boolean): Promise<NotificationDto> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const found = (await inbox(who)).items.find(accepts);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('the notification did not arrive');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  before(async () => {
    context = await startMediumContext();
    fx = new Fixtures(context.app);
    writes = context.app.get(CommentWritesService);
    moderation = context.app.get(ModerationService);
    follows = context.app.get(FollowsService);
    sut = context.app.get(NotificationsService);
    moderator = await reader('moderator');
  });

  after(() => context.close());

  it('tells a comment’s author of a reply, with the actor, the essay and the reply as they may see it', async () => {
    const article = await fx.newArticle();
    const [ann, ben] = [await reader(), await reader()];
    const parent = await post(ann, article, 'A first point.');
    const reply = await post(ben, article, 'An answer.', { parentId: parent.id });
    const [notification] = await about(ann, reply.id);
    assert.equal(notification.kind, 'reply');
    assert.equal(notification.actor?.id, ben.id);
    assert.equal(notification.article?.slug, article.slug);
    assert.equal(notification.comment?.body, 'An answer.');
    assert.equal(notification.reason, null);
    assert.equal(notification.readAt, null);
    assert.deepEqual(await about(ben, reply.id), [], 'nobody is told of their own comment');
  });

  it('dates a notification when readers first saw the comment, however late its fan-out runs', async () => {
    const article = await fx.newArticle();
    const [ann, ben] = [await reader(), await reader()];
    const parent = await writes.create(article.slug, { body: 'Answer me.' }, ann.viewer);
    const replies: CommentDto[] = [];
    for (const body of ['First.', 'Second.', 'Third.'])
      replies.push(await writes.create(article.slug, { body, parentId: parent.id }, ben.viewer));
    // The fan-outs run in the reverse order (as concurrent jobs may): the inbox still lists the newest reply first.
    for (const reply of [...replies].reverse()) await sut.notifyAboutComment(reply.id, 'everyone', reply.createdAt);
    const listed = (await inbox(ann)).items.filter((n) => replies.some((r) => r.id === n.comment?.id));
    assert.deepEqual(
      listed.map((n) => [n.comment?.id, n.createdAt]),
      [...replies].reverse().map((r) => [r.id, r.createdAt]),
    );
  });

  it('gives each recipient one notification per comment, by precedence: reply, mention, quote, followed', async () => {
    const article = await fx.newArticle();
    const [ann, ben, cat, dan, eve] = [await reader(), await reader(), await reader(), await reader(), await reader()];
    for (const who of [ann, cat, dan, eve]) await follows.followArticle(article.slug, who.viewer);
    const annsPoint = await post(ann, article, 'The parent.');
    const dansPoint = await post(dan, article, 'Something to quote here.');
    const reply = await post(ben, article, `@${ann.username} and @${cat.username}, see this.`, {
      parentId: annsPoint.id,
      quote: { source: 'comment', commentId: dansPoint.id, text: 'Something to quote' },
    });
    // The parent's author is also mentioned and follows the essay: one `reply`.
    assert.deepEqual(
      (await about(ann, reply.id)).map((n) => n.kind),
      ['reply'],
    );
    assert.deepEqual(
      (await about(cat, reply.id)).map((n) => n.kind),
      ['mention'],
    );
    assert.deepEqual(
      (await about(dan, reply.id)).map((n) => n.kind),
      ['quote'],
    );
    // A reply is not a top-level comment: the essay's followers hear of it only when named.
    assert.deepEqual(await about(eve, reply.id), []);
    const topLevel = await post(ben, article, 'A new top-level comment.');
    assert.deepEqual(
      (await about(eve, topLevel.id)).map((n) => n.kind),
      ['followed'],
    );
  });

  it('tells a thread’s followers of every new comment anywhere under it, and no one else’s thread', async () => {
    const article = await fx.newArticle();
    const [ann, ben, fan] = [await reader(), await reader(), await reader()];
    const top = await post(ann, article, 'The top.');
    const other = await post(ann, article, 'Another thread.');
    await follows.followComment(top.id, fan.viewer);
    await follows.followComment(top.id, fan.viewer);
    const child = await post(ben, article, 'Level one.', { parentId: top.id });
    const grandchild = await post(ann, article, 'Level two.', { parentId: child.id });
    const elsewhere = await post(ben, article, 'Elsewhere.', { parentId: other.id });
    assert.deepEqual(
      (await about(fan, child.id)).map((n) => n.kind),
      ['followed'],
    );
    assert.deepEqual(
      (await about(fan, grandchild.id)).map((n) => n.kind),
      ['followed'],
    );
    assert.deepEqual(await about(fan, elsewhere.id), []);
    assert.deepEqual(await about(fan, top.id), [], 'the followed comment itself is not news');
    await follows.unfollowComment(top.id, fan.viewer);
    const later = await post(ben, article, 'After the unfollow.', { parentId: top.id });
    assert.deepEqual(await about(fan, later.id), []);
  });

  it('never tells anyone of their own action: a self-reply, a self-mention, one’s own followed thread', async () => {
    const article = await fx.newArticle();
    const [ann, ben] = [await reader(), await reader()];
    await follows.followArticle(article.slug, ann.viewer);
    const own = await post(ann, article, 'Mine.');
    await follows.followComment(own.id, ann.viewer);
    const selfReply = await post(ann, article, `@${ann.username} agrees with @${ben.username}.`, { parentId: own.id });
    // Ben's mention comes from the same statement as any notification Ann would have had.
    assert.deepEqual(
      (await about(ben, selfReply.id)).map((n) => n.kind),
      ['mention'],
    );
    assert.deepEqual(await about(ann, selfReply.id), []);
    assert.deepEqual(await about(ann, own.id), []);
  });

  it('notifies of a held comment only once a moderator approves it, and tells its author who decided and why', async () => {
    const article = await fx.newArticle();
    await context.app.get(ArticlesService).updateSettings(article.slug, { premoderation: true }, moderator.viewer);
    const [ann, ben, cat] = [await reader(), await reader(), await reader()];
    const parent = await writes.create(article.slug, { body: 'Parent.' }, moderator.viewer);
    await follows.followComment(parent.id, cat.viewer);
    const held = await writes.create(
      article.slug,
      { body: `Held, naming @${ann.username}.`, parentId: parent.id },
      ben.viewer,
    );
    assert.equal(held.status, 'pending');
    assert.equal(await sut.notifyAboutComment(held.id), 0, 'nobody may see it yet');
    assert.deepEqual(await about(ann, held.id), []);
    await moderation.act('approve', held.id, 'Fair point.', moderator.viewer);
    const decision = await waitFor(ben, (n) => n.comment?.id === held.id);
    assert.equal(decision.kind, 'approved');
    assert.equal(decision.actor?.id, moderator.id);
    assert.equal(decision.reason, 'Fair point.');
    await sut.notifyAboutComment(held.id);
    assert.deepEqual(
      (await about(ann, held.id)).map((n) => n.kind),
      ['mention'],
    );
    assert.deepEqual(
      (await about(cat, held.id)).map((n) => n.kind),
      ['followed'],
    );
    assert.deepEqual(
      (await about(moderator, held.id)).map((n) => n.kind),
      ['reply'],
    );
  });

  it('tells an author of a removal and a restoration with the reason; nobody hears of a removed comment', async () => {
    const article = await fx.newArticle();
    const [ann, ben] = [await reader(), await reader()];
    const comment = await writes.create(article.slug, { body: `Rude to @${ben.username}.` }, ann.viewer);
    await moderation.act('remove', comment.id, 'Abuse.', moderator.viewer);
    const removed = await waitFor(ann, (n) => n.kind === 'removed' && n.comment?.id === comment.id);
    assert.equal(removed.reason, 'Abuse.');
    assert.equal(removed.comment?.body, null, 'the author sees the placeholder, as in the thread');
    const [entry] = await context.dataSource.query<{ id: string }[]>(
      `SELECT id FROM moderation_log WHERE comment_id = $1 AND action = 'comment.remove'`,
      [comment.id],
    );
    const again = {
      articleId: article.id,
      commentId: comment.id,
      authorId: ann.id,
      moderatorId: moderator.id,
      logId: entry.id,
      decision: 'removed' as const,
      reason: 'Abuse.',
    };
    assert.equal(await sut.notifyAboutDecision(again), 0, 'a decision is notified once, however often this runs');
    assert.equal(await sut.notifyAboutComment(comment.id), 0, 'a fan-out run once it is removed notifies nobody');
    await moderation.act('restore', comment.id, undefined, moderator.viewer);
    const restored = await waitFor(ann, (n) => n.kind === 'restored' && n.comment?.id === comment.id);
    assert.equal(restored.reason, null);
    assert.equal(restored.comment?.body, `Rude to @${ben.username}.`);
  });

  it('shows a notified comment as the recipient may see it now: a placeholder once removed or deleted', async () => {
    const article = await fx.newArticle();
    const [ann, ben] = [await reader(), await reader()];
    const mod = await reader('moderator');
    const parent = await post(mod, article, 'A moderator’s comment.');
    const removedReply = await post(ann, article, `Later removed, @${ben.username}.`, { parentId: parent.id });
    const deletedReply = await post(ann, article, `Later deleted, @${ben.username}.`, { parentId: parent.id });
    await moderation.act('remove', removedReply.id, 'Spam.', moderator.viewer);
    await writes.delete(deletedReply.id, ann.viewer);
    for (const who of [ben, mod]) {
      const [removed] = await about(who, removedReply.id);
      assert.equal(removed.comment?.status, 'removed');
      assert.equal(removed.comment?.body, null, 'not even a moderator reads a removed body in an inbox');
      assert.equal(removed.comment?.html, null);
      const [deleted] = await about(who, deletedReply.id);
      assert.equal(deleted.comment?.status, 'deleted');
      assert.equal(deleted.comment?.body, null);
    }
  });

  it('tells a name an edit adds, and nobody a second time', async () => {
    const article = await fx.newArticle();
    const [ann, ben, cat] = [await reader(), await reader(), await reader()];
    const comment = await post(ann, article, `Hello @${ben.username}.`);
    await writes.edit(comment.id, `Hello @${ben.username} and @${cat.username}.`, ann.viewer);
    await sut.notifyAboutComment(comment.id, 'named');
    assert.deepEqual(
      (await about(cat, comment.id)).map((n) => n.kind),
      ['mention'],
    );
    assert.deepEqual(
      (await about(ben, comment.id)).map((n) => n.kind),
      ['mention'],
    );
    // An edit that drops a name and brings it back tells nobody again.
    await writes.edit(comment.id, 'Hello nobody.', ann.viewer);
    await writes.edit(comment.id, `Hello @${cat.username}.`, ann.viewer);
    assert.equal(await sut.notifyAboutComment(comment.id, 'named'), 0);
    assert.equal((await about(cat, comment.id)).length, 1);
  });

  it('tells a name added by an edit that waited for review once a moderator approves it', async () => {
    const article = await fx.newArticle();
    const [ann, ben] = [await reader(), await reader()];
    const comment = await post(ann, article, 'Before the edit.');
    await context.app.get(ArticlesService).updateSettings(article.slug, { premoderation: true }, moderator.viewer);
    const held = await writes.edit(comment.id, `Now naming @${ben.username}.`, ann.viewer);
    assert.equal(held.status, 'pending');
    assert.equal(await sut.notifyAboutComment(comment.id, 'named'), 0, 'not while readers cannot see it');
    await moderation.act('approve', comment.id, undefined, moderator.viewer);
    assert.equal((await waitFor(ben, (n) => n.comment?.id === comment.id)).kind, 'mention');
  });

  it('follows up to the cap: one more is refused, following again what one follows is not', async () => {
    const repository = context.app.get(FollowsRepository);
    const who = await reader();
    const [first, second, third] = [await fx.newArticle(), await fx.newArticle(), await fx.newArticle()];
    assert.equal(await repository.follow(who.id, first.id, null, 2), 'followed');
    assert.equal(await repository.follow(who.id, second.id, null, 2), 'followed');
    assert.equal(await repository.follow(who.id, third.id, null, 2), 'full');
    assert.equal(await repository.follow(who.id, first.id, null, 2), 'already');
    assert.equal(await repository.followsArticle(who.id, third.id), false);
    // Through the service (cap FOLLOWS_MAX): following again is idempotent.
    await follows.followArticle(first.slug, who.viewer);
    assert.equal(await repository.followsArticle(who.id, first.id), true);
  });

  it('counts unread notifications and marks some or all read, never another user’s', async () => {
    const article = await fx.newArticle();
    const [ann, ben, cat] = [await reader(), await reader(), await reader()];
    const parent = await post(ann, article, 'Reply to me.');
    const catsParent = await post(cat, article, 'And to me.');
    for (let i = 0; i < 3; i++) await post(ben, article, `Reply ${i}.`, { parentId: parent.id });
    const catsReply = await post(ben, article, 'For cat.', { parentId: catsParent.id });
    const all = await inbox(ann);
    assert.equal(all.unreadCount, 3);
    assert.deepEqual(
      all.items.map((n) => n.comment?.body),
      ['Reply 2.', 'Reply 1.', 'Reply 0.'],
      'newest first',
    );
    const [catsNotification] = await about(cat, catsReply.id);
    const after = await sut.markRead({ ids: [all.items[0].id, catsNotification.id] }, ann.viewer);
    assert.equal(after.unreadCount, 2);
    assert.equal((await inbox(cat)).unreadCount, 1, 'another user’s notification is left alone');
    assert.deepEqual(
      (await inbox(ann, true)).items.map((n) => n.comment?.body),
      ['Reply 1.', 'Reply 0.'],
    );
    assert.equal((await sut.markRead({}, ann.viewer)).unreadCount, 0);
    assert.ok((await inbox(ann)).items.every((n) => n.readAt !== null));
  });
});
