import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Account, bearer, newUser, signInAdmin, uniqueName, withRole, ADMIN_ENV } from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { INSTANT_MAIL_TASK } from '../src/notifications/notification-mails.js';
import { untilJobsDone } from './helpers/jobs.js';
import { TestSmtp, tokenIn, type ReceivedMail } from './helpers/smtp.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const PUBLIC_URL = 'https://forum.example.org';
/**
 * Long enough that what the tests do right after a first notification (a second reply, a read, a removal) happens
 * before its mail is made, short enough to keep the suite quick.
 */
const DELAY_SECONDS = 3;

/**
 * Notification mail against a real SMTP server: an instant reader's notifications arrive in one mail after the delay,
 * with the essay in the subject, both parts, the link to the comment and one-click unsubscribe headers; nothing is
 * mailed once read, for a comment removed since, to an unverified address or with mail off; a daily reader gets one
 * digest; a moderator's decision reaches its author with the reason.
 */
describe('notification mail', { concurrency: true }, () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let fx: Fixtures;
  let article: ArticleFixture;
  let admin: Account;

  before(async () => {
    smtp = await TestSmtp.start();
    t = await startTestApp({
      env: { SMTP_URL: smtp.url, PUBLIC_URL, NOTIFICATION_MAIL_DELAY_SECONDS: String(DELAY_SECONDS), ...ADMIN_ENV },
    });
    fx = new Fixtures(t.app);
    article = await fx.newArticle();
    admin = await signInAdmin(t);
  });

  after(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const post = async (who: Account, body: object, slug = article.slug) =>
    (await t.http.post(`/api/articles/${slug}/comments`).set('Authorization', bearer(who.token)).send(body).expect(201))
      .body as { id: string; status: string };

  const setAccount = (who: Account, changes: object) =>
    t.http.patch('/api/auth/me').set('Authorization', bearer(who.token)).send(changes).expect(200);

  /** A reader with a verified address (mailed link used) and the given mail setting. */
  async function mailedReader(setting: 'instant' | 'daily' | 'off' = 'instant'): Promise<Account & { email: string }> {
    const account = await newUser(t, uniqueName('mr'));
    const email = `${account.username}@example.org`;
    await setAccount(account, { email });
    const mail = await smtp.waitFor(email);
    await t.http
      .post('/api/auth/verify-email')
      .send({ token: tokenIn(mail.text, '/verify-email') })
      .expect(200);
    if (setting !== 'instant') await setAccount(account, { emailNotifications: setting });
    return { ...account, email };
  }

  /** Polls the inbox until a notification about this comment is there (the fan-out runs after the post's commit). */
  async function notified(who: Account, commentId: string): Promise<{ id: string }> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const inbox = await t.http.get('/api/notifications?limit=100').set('Authorization', bearer(who.token));
      const found = (inbox.body.items as { id: string; comment: { id: string } | null }[]).find(
        (n) => n.comment?.id === commentId,
      );
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no notification about ${commentId}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** A run of the hourly digest schedule, queued as graphile-worker queues one: with the time it was due. */
  const runDigests = (at: string) =>
    t.dataSource.query(`SELECT graphile_worker.add_job('notifications.queue-digests', $1::json)`, [
      JSON.stringify({ _cron: { ts: at, backfilled: false } }),
    ]);

  /** Queues a reader's instant mail an hour away, as the app would queue it; the app's later queueing keeps that time. */
  const holdInstantMail = (userId: string) =>
    t.dataSource.query(
      `SELECT graphile_worker.add_job($1, $2::json, job_key := $3, job_key_mode := 'preserve_run_at',
         run_at := now() + interval '1 hour')`,
      [INSTANT_MAIL_TASK, JSON.stringify({ userId }), `notification-mail:${userId}`],
    );

  /** Lets a held instant mail run now. */
  const releaseInstantMail = (userId: string) =>
    t.dataSource.query(
      `SELECT graphile_worker.reschedule_jobs(array_agg(id), run_at := now())
         FROM graphile_worker.jobs WHERE key = $1`,
      [`notification-mail:${userId}`],
    );

  /** Mails to an address after the first (the verification mail). */
  const notificationMails = (email: string): ReceivedMail[] => smtp.to(email).slice(1);

  const queueIsEmpty = () => untilJobsDone(t.dataSource);

  it('mails an instant reader the replies that came close together in one mail, naming the essay, with unsubscribe headers', async () => {
    const reader = await mailedReader();
    const replier = await newUser(t, uniqueName('replier'));
    await setAccount(replier, { email: `${replier.username}@example.org` });
    const parent = await post(reader, { body: 'A claim about archives.' });
    const first = await post(replier, { body: 'First reply: <b>not bold</b>.', parentId: parent.id });
    const second = await post(replier, { body: '@' + reader.username + ' second reply, naming you.' });

    const mail = await smtp.waitFor(reader.email, 2);
    assert.match(mail.subject, /^2 new notifications in “Essay test-[0-9a-f]+”$/);
    assert.ok(mail.text.includes(`${PUBLIC_URL}/comments/${first.id}`), mail.text);
    assert.ok(mail.text.includes(`${PUBLIC_URL}/comments/${second.id}`), mail.text);
    assert.match(mail.text, /replied to your comment in “Essay /);
    assert.match(mail.text, /mentioned you in “Essay /);
    assert.ok(mail.html.includes(`href="${PUBLIC_URL}/comments/${first.id}"`), mail.html);
    assert.ok(mail.html.includes('&lt;b&gt;not bold&lt;/b&gt;'), 'the comment is escaped in the HTML part');
    assert.ok(!mail.text.includes(`${replier.username}@example.org`), 'no other user’s address in the mail');
    assert.ok(!mail.html.includes(`${replier.username}@example.org`), 'no other user’s address in the mail');
    assert.equal(mail.header('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
    const unsubscribe = /^<(.+)>$/.exec(mail.header('list-unsubscribe') ?? '')?.[1];
    assert.ok(unsubscribe?.startsWith(`${PUBLIC_URL}/api/unsubscribe?token=`), mail.header('list-unsubscribe'));
    if (!unsubscribe) return;

    // One click, as a mail client does it: no session, no Origin.
    const path = unsubscribe.slice(PUBLIC_URL.length);
    await t.http
      .post(path)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    const me = await t.http.get('/api/auth/me').set('Authorization', bearer(reader.token)).expect(200);
    assert.equal(me.body.account.emailNotifications, 'off');

    // Off: a later reply is notified in the forum, and no mail job is even queued for it.
    const later = await post(replier, { body: 'A reply after unsubscribing.', parentId: parent.id });
    await notified(reader, later.id);
    await queueIsEmpty();
    assert.equal(notificationMails(reader.email).length, 1, 'nothing mailed after unsubscribing');
  });

  it('mails nothing of a notification read before its mail, nor of a comment removed since', async () => {
    const reader = await mailedReader();
    const replier = await newUser(t, uniqueName('replier'));
    const moderator = await withRole(t, admin.token, 'moderator');
    // The reader's mail is held until the forum side is done (on a loaded machine the steps below can outlast the
    // delay): their job is queued first with a far run time, which the app's own queueing keeps (preserve_run_at).
    await holdInstantMail(reader.id);
    const parent = await post(reader, { body: 'Something to answer.' });
    const read = await post(replier, { body: 'Read in the forum at once.', parentId: parent.id });
    const seen = await notified(reader, read.id);
    await t.http
      .post('/api/notifications/read')
      .set('Authorization', bearer(reader.token))
      .send({ ids: [seen.id] })
      .expect(200);
    const removed = await post(replier, { body: 'Removed before the mail.', parentId: parent.id });
    await notified(reader, removed.id);
    await t.http
      .post(`/api/moderation/comments/${removed.id}/remove`)
      .set('Authorization', bearer(moderator.token))
      .send({ reason: 'Off topic' })
      .expect(200);
    const kept = await post(replier, { body: 'This one is mailed.', parentId: parent.id });
    await notified(reader, kept.id);
    await releaseInstantMail(reader.id);

    const mail = await smtp.waitFor(reader.email, 2);
    assert.equal(mail.subject, `${replier.displayName} replied to your comment in “Essay ${article.slug}”`);
    assert.ok(mail.text.includes(`/comments/${kept.id}`), mail.text);
    assert.ok(!mail.text.includes(`/comments/${read.id}`), 'a notification read in the forum is not mailed');
    assert.ok(!mail.text.includes(`/comments/${removed.id}`), 'a comment removed since is not mailed');
    assert.ok(!mail.text.includes('Removed before the mail'), mail.text);
    await queueIsEmpty();
    assert.equal(notificationMails(reader.email).length, 1);
  });

  it('mails no one whose address is not verified, and no one with mail off', async () => {
    const unverified = await newUser(t, uniqueName('unverified'));
    await setAccount(unverified, { email: `${unverified.username}@example.org` });
    const off = await mailedReader('off');
    const barrier = await mailedReader();
    const author = await newUser(t, uniqueName('author'));
    const comment = await post(author, {
      body: `@${unverified.username} @${off.username} @${barrier.username} all three of you.`,
    });
    await smtp.waitFor(barrier.email, 2);
    await notified(unverified, comment.id);
    await notified(off, comment.id);
    await queueIsEmpty();
    assert.equal(smtp.to(`${unverified.username}@example.org`).length, 1, 'only the verification mail');
    assert.equal(notificationMails(off.email).length, 0);
  });

  it("tells an author by mail of a moderator's decision, with the reason", async () => {
    const author = await mailedReader();
    const moderator = await withRole(t, admin.token, 'moderator');
    const premoderated = await fx.newArticle();
    await t.http
      .patch(`/api/articles/${premoderated.slug}/settings`)
      .set('Authorization', bearer(admin.token))
      .send({ premoderation: true })
      .expect(200);
    const held = await post(author, { body: 'Held for review.' }, premoderated.slug);
    assert.equal(held.status, 'pending');
    await t.http
      .post(`/api/moderation/comments/${held.id}/approve`)
      .set('Authorization', bearer(moderator.token))
      .send({ reason: 'Well argued' })
      .expect(200);
    const mail = await smtp.waitFor(author.email, 2);
    assert.equal(mail.subject, `A moderator approved your comment in “Essay ${premoderated.slug}”`);
    assert.match(mail.text, /Reason: Well argued/);
    assert.ok(mail.text.includes(`${PUBLIC_URL}/comments/${held.id}`));
  });

  it('gives a daily reader one digest of what waits unread, and nothing instantly', async () => {
    const daily = await mailedReader('daily');
    const barrier = await mailedReader();
    const author = await newUser(t, uniqueName('author'));
    const first = await post(author, { body: `@${daily.username} @${barrier.username} one.` });
    const second = await post(author, { body: `@${daily.username} two.` });
    await notified(daily, second.id);
    await smtp.waitFor(barrier.email, 2);
    await queueIsEmpty();
    assert.equal(notificationMails(daily.email).length, 0, 'a daily reader gets no instant mail');

    // The hourly schedule's run at DIGEST_HOUR (7) UTC, queued as graphile-worker's schedule queues it.
    await runDigests('2026-01-15T07:00:00.000Z');
    const digest = await smtp.waitFor(daily.email, 2);
    assert.match(digest.subject, /^Your daily digest: 2 notifications in “Essay /);
    assert.ok(digest.text.includes(`/comments/${first.id}`) && digest.text.includes(`/comments/${second.id}`));
    assert.equal(digest.header('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');

    // Run again: everything waiting was mailed once.
    await runDigests('2026-01-16T07:00:00.000Z');
    await queueIsEmpty();
    assert.equal(notificationMails(daily.email).length, 1, 'one digest, not two');
  });

  it('mails each daily reader’s digest at DIGEST_HOUR on their own clock', async () => {
    // No reader here is in UTC: the other tests, running beside this one, run the schedule at 07:00 UTC.
    const [tokyo, newYork, kolkata] = [
      await mailedReader('daily'),
      await mailedReader('daily'),
      await mailedReader('daily'),
    ];
    for (const [who, sent, stored] of [
      [tokyo, 'Asia/Tokyo', 'Asia/Tokyo'],
      [newYork, 'america/new_york', 'America/New_York'],
      [kolkata, 'Asia/Kolkata', 'Asia/Kolkata'],
    ] as const)
      assert.equal((await setAccount(who, { timeZone: sent })).body.account.timeZone, stored);
    const author = await newUser(t, uniqueName('author'));
    const comment = await post(author, { body: `@${tokyo.username} @${newYork.username} @${kolkata.username} news.` });
    for (const who of [tokyo, newYork, kolkata]) await notified(who, comment.id);
    await queueIsEmpty();
    const counts = () => [tokyo, newYork, kolkata].map((who) => notificationMails(who.email).length);

    // 22:00 UTC is 07:00 the next morning in Tokyo (UTC+9): Tokyo's reader only.
    await runDigests('2026-01-14T22:00:00.000Z');
    assert.match((await smtp.waitFor(tokyo.email, 2)).subject, /^Your daily digest: /);
    await queueIsEmpty();
    assert.deepEqual(counts(), [1, 0, 0]);
    // 02:00 UTC is 07:30 in India (UTC+5:30), the run within its digest hour.
    await runDigests('2026-01-15T02:00:00.000Z');
    await smtp.waitFor(kolkata.email, 2);
    await queueIsEmpty();
    assert.deepEqual(counts(), [1, 0, 1]);
    // 12:00 UTC is 07:00 in New York in winter.
    await runDigests('2026-01-15T12:00:00.000Z');
    await smtp.waitFor(newYork.email, 2);
    await queueIsEmpty();
    assert.deepEqual(counts(), [1, 1, 1], 'one digest each');
  });
});
