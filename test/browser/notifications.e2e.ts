import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Page } from 'playwright-core';
import { type Account, ADMIN_ENV, bearer, newUser, signInAdmin, uniqueName, withRole } from '../helpers/accounts.js';
import { type ArticleFixture, Fixtures } from '../helpers/fixtures.js';
import { TestSmtp, tokenIn } from '../helpers/smtp.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  browserSkipReason,
  commentArticle,
  newReader,
  openBrowser,
  signedInReaderAt,
  type TestBrowser,
} from './browser.js';

/**
 * The notifications in the web client: the bell counting live, the inbox opening the comment, follows, the author's
 * pending comment decided live, and the account's mailed links (against a real SMTP server on a loopback port).
 */
describe('notifications, follows and the account in the web client', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let smtp: TestSmtp;
  let fixtures: Fixtures;

  before(async () => {
    smtp = await TestSmtp.start();
    [t, browser] = await Promise.all([startTestApp({ env: { ...ADMIN_ENV, SMTP_URL: smtp.url } }), openBrowser()]);
    fixtures = new Fixtures(t.app);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  const as = (who: Account) => ({ Authorization: bearer(who.token) });
  const post = (who: Account, article: ArticleFixture, body: string, parentId?: string) =>
    t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set(as(who))
      .send({ body, ...(parentId ? { parentId } : {}) })
      .expect(201)
      .then((res) => res.body as { id: string; status: string });

  /** A signed-in reader's page at `path`. */
  async function readerAt(who: Account, path: string): Promise<{ page: Page; close: () => Promise<void> }> {
    const { context, page } = await signedInReaderAt(browser, who, `${t.baseUrl}${path}`);
    return { page, close: () => context.close() };
  }

  const bell = (page: Page, unread: number | 'none') =>
    page.getByRole('link', { name: `Notifications, ${unread} unread`, exact: true });

  it('counts a reply on the bell live in another reader’s page; the inbox opens the comment and reads it', async () => {
    const article = await fixtures.newArticle();
    const ada = await newUser(t, uniqueName('ada'), { displayName: 'Ada Author' });
    const bob = await newUser(t, uniqueName('bob'), { displayName: 'Bob Replier' });
    const first = await post(ada, article, 'An opening argument about essays.');

    const adaPage = await readerAt(ada, '/');
    await bell(adaPage.page, 'none').waitFor();

    // Bob replies through his own page; Ada's bell counts it without a reload.
    const bobPage = await readerAt(bob, `/articles/${article.slug}`);
    await commentArticle(bobPage.page, 'Ada Author').getByRole('button', { name: 'Reply', exact: true }).click();
    await bobPage.page.getByLabel('Reply to Ada Author').fill('A **reply** that Ada should hear of.');
    await bobPage.page.getByRole('button', { name: 'Post reply' }).click();
    await commentArticle(bobPage.page, 'Bob Replier').waitFor();
    await bell(adaPage.page, 1).waitFor();

    // The inbox: who did what and where, the comment's html, unread; opening it reads it and shows it in its thread.
    await bell(adaPage.page, 1).click();
    await adaPage.page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const item = adaPage.page.locator('li.notification').first();
    await item.getByText('Bob Replier').waitFor();
    assert.match(
      await item.innerText(),
      new RegExp(`Bob Replier @${bob.username} replied to your comment in Essay ${article.slug}`),
    );
    assert.equal(await item.locator('.comment-body strong').innerText(), 'reply', 'the server’s html is shown');
    assert.equal(await item.getByText('Unread').count(), 1);
    await item.getByRole('link', { name: 'Open the comment' }).click();
    await commentArticle(adaPage.page, 'Bob Replier').getByText('that Ada should hear of').waitFor();
    assert.match(adaPage.page.url(), /\/comments\/\d+$/);
    await bell(adaPage.page, 'none').waitFor();
    const inbox = await t.http.get('/api/notifications').set(as(ada)).expect(200);
    assert.equal(inbox.body.unreadCount, 0);
    assert.notEqual(inbox.body.items[0].readAt, null, 'opening it marked it read');
    assert.equal(first.status, 'visible');

    await adaPage.close();
    await bobPage.close();
  });

  it('pages the inbox with "Load more", and puts a notification that arrives meanwhile at the top', async () => {
    const article = await fixtures.newArticle();
    const lee = await newUser(t, uniqueName('lee'), { displayName: 'Lee Listener' });
    const kim = await newUser(t, uniqueName('kim'), { displayName: 'Kim Chatty' });
    const own = await post(lee, article, 'Lee’s comment, which draws many replies.');
    for (let i = 1; i <= 22; i++) await post(kim, article, `Reply number ${i}.`, own.id);

    const leePage = await readerAt(lee, '/notifications');
    const page = leePage.page;
    const items = page.locator('li.notification');
    await items.first().getByText('Reply number 22.').waitFor();
    assert.equal(await items.count(), 20, 'one page of 20');
    await page.getByRole('button', { name: 'Load more' }).click();
    await items.nth(21).getByText('Reply number 1.').waitFor();
    assert.equal(await items.count(), 22);
    assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0, 'no page after the last');

    await post(kim, article, 'A reply written while the inbox is open.', own.id);
    await items.first().getByText('A reply written while the inbox is open.').waitFor();
    await bell(page, 23).waitFor();
    assert.equal(await items.count(), 23);

    await leePage.close();
  });

  it('follows and unfollows an essay and a comment from the page; unfollowed, an essay notifies no more', async () => {
    const article = await fixtures.newArticle();
    const fay = await newUser(t, uniqueName('fay'), { displayName: 'Fay Follower' });
    const wes = await newUser(t, uniqueName('wes'), { displayName: 'Wes Writer' });
    const fayComment = await post(fay, article, 'Fay’s own comment, to be replied to later.');
    const wesComment = await post(wes, article, 'Wes starts a thread worth following.');

    const fayPage = await readerAt(fay, `/articles/${article.slug}`);
    const page = fayPage.page;
    await page.getByRole('button', { name: 'Follow this essay' }).click();
    await page.getByRole('button', { name: 'Unfollow this essay' }).waitFor();
    const thread = commentArticle(page, 'Wes Writer');
    await thread.getByRole('button', { name: 'Follow', exact: true }).click();
    await thread.getByRole('button', { name: 'Unfollow', exact: true }).waitFor();
    const follows = await t.http.get('/api/follows').set(as(fay)).expect(200);
    assert.deepEqual(
      (follows.body.items as { kind: string; comment: { id: string } | null }[]).map((f) => [f.kind, f.comment?.id]),
      [
        ['comment', wesComment.id],
        ['article', undefined],
      ],
    );
    // After a reload the page says what the server holds.
    await page.reload();
    await page.getByRole('button', { name: 'Unfollow this essay' }).waitFor();
    await commentArticle(page, 'Wes Writer').getByRole('button', { name: 'Unfollow', exact: true }).waitFor();

    // Followed: a new top-level comment notifies Fay.
    await post(wes, article, 'A new top-level comment for the followers.');
    await bell(page, 1).waitFor();

    // Unfollowed (the essay, and the thread): a new top-level comment does not notify, while a reply to Fay's own
    // comment, written after it, does; that later notification is the barrier.
    await page.getByRole('button', { name: 'Unfollow this essay' }).click();
    await page.getByRole('button', { name: 'Follow this essay' }).waitFor();
    await commentArticle(page, 'Wes Writer').getByRole('button', { name: 'Unfollow', exact: true }).click();
    await commentArticle(page, 'Wes Writer').getByRole('button', { name: 'Follow', exact: true }).waitFor();
    await post(wes, article, 'Another top-level comment, after the unfollow.');
    await post(wes, article, 'A reply inside the unfollowed thread.', wesComment.id);
    await post(wes, article, 'A reply to Fay, the barrier.', fayComment.id);
    await bell(page, 2).waitFor();
    const inbox = await t.http.get('/api/notifications').set(as(fay)).expect(200);
    assert.deepEqual(
      (inbox.body.items as { kind: string }[]).map((n) => n.kind),
      ['reply', 'followed'],
      'only the reply arrived after the unfollow',
    );

    // The inbox page says the same, grouped under today, and "Mark all read" clears the bell.
    await page.getByRole('link', { name: 'Notifications, 2 unread' }).click();
    const today = page.getByRole('region', { name: 'Today' });
    await today.getByText('A reply to Fay, the barrier.').waitFor();
    assert.equal(await today.locator('li.notification').count(), 2);
    assert.match(await today.locator('li.notification').nth(1).innerText(), /commented in a discussion you follow/);
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await bell(page, 'none').waitFor();
    assert.equal(await page.locator('li.notification.unread').count(), 0);
    await page.getByLabel('Show only unread').check();
    await page.getByText('Nothing unread.').waitFor();

    await fayPage.close();
  });

  it('turns the author’s pending comment into the approved one, or the removal with its reason, without a reload, and keeps the reason after one', async () => {
    const admin = await signInAdmin(t);
    const moderator = await withRole(t, admin.token, 'moderator');
    const article = await fixtures.newArticle();
    await t.http
      .patch(`/api/articles/${article.slug}/settings`)
      .set(as(moderator))
      .send({ premoderation: true })
      .expect(200);
    const pat = await newUser(t, uniqueName('pat'), { displayName: 'Pat Patient' });
    const patPage = await readerAt(pat, `/articles/${article.slug}`);
    const page = patPage.page;

    for (const body of ['A comment the moderator will approve.', 'A comment the moderator will remove.']) {
      await page.getByLabel('Your comment on the essay').fill(body);
      await page.getByRole('button', { name: 'Post comment' }).click();
      await page.locator('li.comment', { hasText: body }).getByText('awaiting moderation').waitFor();
    }
    const pending = (await t.http.get('/api/moderation/queue?status=pending').set(as(moderator)).expect(200)).body
      .items as { id: string; body: string }[];
    const idOf = (text: string) => {
      const found = pending.find((item) => item.body.includes(text));
      assert.ok(found, `"${text}" is in the pending queue`);
      return found.id;
    };
    const approveId = idOf('will approve');
    const removeId = idOf('will remove');

    await t.http
      .post(`/api/moderation/comments/${approveId}/approve`)
      .set(as(moderator))
      .send({ reason: 'On topic' })
      .expect(200);
    const approved = page.locator(`#comment-${approveId}`);
    await approved.locator('.badge', { hasText: 'awaiting moderation' }).waitFor({ state: 'detached' });
    assert.match(await approved.innerText(), /A comment the moderator will approve\./);

    await t.http
      .post(`/api/moderation/comments/${removeId}/remove`)
      .set(as(moderator))
      .send({ reason: 'Repeats the essay without arguing' })
      .expect(200);
    const removed = page.locator(`#comment-${removeId}`);
    await removed.getByText('Removed by a moderator: Repeats the essay without arguing').waitFor();
    assert.equal(await removed.getByText('A comment the moderator will remove.').count(), 0);
    assert.equal(await removed.getByText('awaiting moderation').count(), 0);
    await bell(page, 2).waitFor();

    // After a reload the reason comes with the comment itself (its author's removalReason).
    await page.reload();
    await page
      .locator(`#comment-${removeId}`)
      .getByText('Removed by a moderator: Repeats the essay without arguing')
      .waitFor();
    assert.equal(
      await page.locator(`#comment-${removeId}`).getByText('A comment the moderator will remove.').count(),
      0,
    );

    await patPage.close();
  });

  it('changes the e-mail on the account page, verifies it from the mailed link, and resets the password by mail', async () => {
    const eve = await newUser(t, uniqueName('eve'), { displayName: 'Eve Emailer' });
    const email = `${uniqueName('eve')}@example.org`;
    const evePage = await readerAt(eve, '/');
    const page = evePage.page;
    await page.getByRole('link', { name: 'Eve Emailer' }).click();
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();

    await page.getByLabel('Address').fill(email);
    await page.getByRole('button', { name: 'Save the address' }).click();
    await page.getByText(`We sent a link to ${email}: open it to verify the address.`).waitFor();
    await page.locator('.email-state .badge', { hasText: 'not verified' }).waitFor();

    // "Send the link again": a second mail, whose link is the one that works now.
    const firstLink = tokenIn((await smtp.waitFor(email)).text, '/verify-email');
    await page.getByRole('button', { name: 'Send the link again' }).click();
    await page.getByText(`We sent a new link to ${email}; earlier links no longer work.`).waitFor();
    const token = tokenIn((await smtp.waitFor(email, 2)).text, '/verify-email');
    assert.notEqual(token, firstLink);
    assert.equal((await t.http.post('/api/auth/verify-email').send({ token: firstLink })).status, 400);
    await page.goto(`${t.baseUrl}/verify-email?token=${token}`);
    await page.getByRole('status').getByText('is verified').waitFor();
    assert.equal(new URL(page.url()).search, '', 'the token leaves the address bar');
    await page.getByRole('link', { name: 'Your account' }).click();
    await page.locator('.email-state .badge', { hasText: /^verified$/ }).waitFor();

    // Notification mail: a choice saved at once.
    await page.getByLabel(/^Daily/).check();
    await page.getByText('Saved.').waitFor();
    const me = await t.http.get('/api/auth/me').set(as(eve)).expect(200);
    assert.deepEqual(me.body.account, { email, emailVerified: true, emailNotifications: 'daily', timeZone: null });

    // A wrong current password is refused in the form.
    await page.getByLabel('Current password').fill('not-the-password');
    await page.getByLabel(/^New password/).fill('a-brand-new-password');
    await page.getByRole('button', { name: 'Change the password' }).click();
    await page.locator('form[aria-labelledby="password-title"]').getByRole('alert').waitFor();

    // Signed out, "Forgot your password?" mails a reset link; its page sets a new password that signs in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    await page.getByLabel('The e-mail address of your account').fill(email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByText('If an account has this verified address, a link is on its way.').waitFor();
    const reset = await smtp.waitFor(email, 3);
    await page.goto(`${t.baseUrl}/reset-password?token=${tokenIn(reset.text, '/reset-password')}`);
    await page.getByLabel(/^New password/).fill('a-brand-new-password');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('Your password is changed').waitFor();
    await page.getByRole('button', { name: 'Sign in with the new password' }).click();
    await page.getByLabel('Username', { exact: true }).fill(eve.username);
    await page.getByLabel('Password', { exact: true }).fill('a-brand-new-password');
    await page.getByRole('form', { name: 'Sign in', exact: true }).getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as').waitFor();

    await evePage.close();
  });

  it('offers this device’s time zone first on the account page, and saves the zone the digest is timed by', async () => {
    const zoe = await newUser(t, uniqueName('zoe'), { displayName: 'Zoe Zoned' });
    const { context, page } = await newReader(browser, { timezoneId: 'Asia/Tokyo' });
    await context.addCookies([{ name: 'forum_session', value: zoe.token, url: t.baseUrl }]);
    await page.goto(`${t.baseUrl}/account`);
    const select = page.getByLabel('Your time zone');
    await select.waitFor();
    const zoneOf = async () =>
      ((await t.http.get('/api/auth/me').set(as(zoe)).expect(200)).body as { account: { timeZone: string | null } })
        .account.timeZone;

    const options = await select.locator('option').allInnerTexts();
    assert.deepEqual(options.slice(0, 2), ['Asia/Tokyo (this device)', 'UTC (the default)']);
    assert.ok(options.includes('Europe/Paris') && options.length > 300, 'every zone the browser knows');
    assert.equal(await select.inputValue(), '', 'UTC until one is chosen');

    await select.selectOption('Asia/Tokyo');
    await page.locator('section[aria-labelledby="time-zone-title"]').getByText('Saved.').waitFor();
    assert.equal(await zoneOf(), 'Asia/Tokyo');
    await page.screenshot({ path: '/tmp/account-time-zone-1280.png', fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    assert.equal(await page.getByLabel('Your time zone').inputValue(), 'Asia/Tokyo', 'kept after a reload');
    await page.screenshot({ path: '/tmp/account-time-zone-390.png', fullPage: true });

    await page.getByLabel('Your time zone').selectOption('');
    await page.locator('section[aria-labelledby="time-zone-title"]').getByText('Saved.').waitFor();
    assert.equal(await zoneOf(), null, 'UTC is stored as no zone');
    await context.close();
  });
});
