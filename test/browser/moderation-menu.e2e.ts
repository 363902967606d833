import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { type BrowserContext, type Page } from 'playwright-core';
import {
  type Account,
  ADMIN_ENV,
  bearer,
  newUser,
  postComment,
  signInAdmin,
  uniqueName,
  withRole,
} from '../helpers/accounts.js';
import { type ArticleFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, commentArticle, newReader, openBrowser, type TestBrowser } from './browser.js';

const shots = path.join(tmpdir(), 'forum-screenshots');

/**
 * A moderator acts where they read: the "Moderate" menu on each comment of the thread (remove, approve, ban the
 * author, the reports), each result on the page at once and on other readers' pages live; and the history of a
 * queued comment and its author's record in the queue.
 */
describe('moderating from the thread, and the history in the queue', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let moderator: Account;
  let article: ArticleFixture;
  /** The readers' pages a test opened. */
  const contexts: BrowserContext[] = [];

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
    const admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    article = await new Fixtures(t.app).newArticle();
    mkdirSync(shots, { recursive: true });
  });

  /** The test's pages go back to the suite's readers (newReader) when it ends. */
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const as = (who: Account) => ({ Authorization: bearer(who.token) });
  const post = (who: Account, body: string, parentId?: string, slug = article.slug): Promise<string> =>
    postComment(t, who, slug, body, parentId);

  /** A page at `path`, signed in as `who` (by the session cookie) or anonymous, in a time zone and colour scheme. */
  async function open(
    urlPath: string,
    who?: Account,
    width = 1280,
    timezoneId = 'UTC',
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<Page> {
    const { context, page } = await newReader(browser, { timezoneId, locale: 'en-US' });
    contexts.push(context);
    await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
    await page.emulateMedia({ colorScheme });
    if (who) await context.addCookies([{ name: 'forum_session', value: who.token, url: t.baseUrl }]);
    await page.goto(`${t.baseUrl}${urlPath}`);
    return page;
  }

  it('removes a comment and bans its author from the thread: readers see both live', async () => {
    const wendy = await newUser(t, uniqueName('wendy'), { displayName: 'Wendy Writer' });
    const other = await newUser(t, uniqueName('other'), { displayName: 'Otto Other' });
    await post(other, 'A calm comment that stays.');
    await post(wendy, 'A rude comment that will go.');

    const reader = await open(`/articles/${article.slug}`);
    await commentArticle(reader, 'Wendy Writer').getByText('A rude comment that will go.').waitFor();
    // Wendy reads in Tokyo, the moderator in New York: each sees the ban's end in their own time.
    const wendyPage = await open(`/articles/${article.slug}`, wendy, 1280, 'Asia/Tokyo');
    const otto = commentArticle(wendyPage, 'Otto Other');
    await otto.getByRole('button', { name: 'Report' }).waitFor();
    assert.equal(await wendyPage.getByRole('button', { name: 'Moderate' }).count(), 0, 'readers have no menu');

    const page = await open(`/articles/${article.slug}`, moderator, 1280, 'America/New_York');
    const comment = commentArticle(page, 'Wendy Writer');
    await comment.getByRole('button', { name: 'Moderate' }).click();
    // The menu's code came as a chunk of its own, which neither reader's page fetched.
    const scripts = (p: Page) =>
      p.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    assert.ok((await scripts(page)).some((s) => /\/assets\/ModerationMenu-[\w-]+\.js$/.test(s)));
    for (const readerPage of [reader, wendyPage])
      assert.deepEqual(
        (await scripts(readerPage)).filter((s) => /Moderation/.test(s)),
        [],
        'a reader downloads no moderator code',
      );
    const menu = comment.getByRole('group', { name: 'Moderate the comment by Wendy Writer' });
    await menu.waitFor();
    // The focus moves into the list; Escape closes it and gives the focus back.
    assert.equal(
      await menu.getByRole('button', { name: 'Remove…' }).evaluate((b) => b === document.activeElement),
      true,
    );
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    const toggle = comment.getByRole('button', { name: 'Moderate' });
    assert.equal(await toggle.evaluate((b) => b === document.activeElement), true);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');

    await page.keyboard.press('Enter');
    await menu.getByRole('button', { name: 'Remove…' }).click();
    const removal = comment.getByRole('form', { name: 'Remove the comment by Wendy Writer' });
    await removal.getByLabel('Reason').fill('Insults are not arguments');
    await comment.screenshot({ path: path.join(shots, 'moderation-menu-remove-desktop.png') });
    await removal.getByRole('button', { name: 'Remove' }).click();
    await comment.getByRole('status').getByText('Removed: readers see a placeholder.').waitFor();
    await comment.getByText('removed', { exact: true }).waitFor();

    // The reader's open page: the placeholder, without a reload.
    await commentArticle(reader, '[removed]').getByText('Removed by a moderator.').waitFor();
    assert.equal(await reader.getByText('A rude comment that will go.').count(), 0);

    // The ban: an hour, its end shown before it is set, in the moderator's time zone.
    await toggle.click();
    await menu.getByRole('button', { name: 'Ban Wendy Writer…' }).click();
    const ban = comment.getByRole('form', { name: 'Ban Wendy Writer' });
    await ban.getByLabel('Reason for the ban').fill('Cool off for an hour');
    await ban.getByRole('radio', { name: 'An hour' }).check();
    await ban.getByText(/^Ends .* \d{1,2}:\d{2} [AP]M E[SD]T\.$/).waitFor();
    await comment.screenshot({ path: path.join(shots, 'moderation-menu-ban-desktop.png') });
    await ban.getByRole('button', { name: 'Ban Wendy Writer' }).click();
    const done = comment.getByRole('status').getByText(/^Wendy Writer is banned until /);
    await done.waitFor();
    const bans = await t.http.get('/api/moderation/bans?limit=100').set(as(moderator)).expect(200);
    const stored = (bans.body.items as { user: { id: string }; until: string | null }[]).find(
      (b) => b.user.id === wendy.id,
    );
    assert.ok(stored?.until, 'the ban has an end');
    const hour = new Date(stored.until).getTime() - Date.now();
    assert.ok(hour > 50 * 60_000 && hour <= 3_600_000, `an hour's ban: ${stored.until}`);
    const inZone = (timeZone: string) =>
      new Intl.DateTimeFormat('en-US', {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
        timeZone,
      }).format(new Date(stored.until as string));
    assert.equal(await done.innerText(), `Wendy Writer is banned until ${inZone('America/New_York')}.`);

    // Wendy's page: vote and report shut, with the end's date and time in her own zone.
    const report = otto.getByRole('button', { name: 'Report' });
    const tokyo = inZone('Asia/Tokyo');
    assert.match(tokyo, /GMT\+9$/);
    await wendyPage.locator('#thread-ban-note').getByText(`until ${tokyo}`).waitFor();
    assert.equal(await report.getAttribute('aria-disabled'), 'true');
    const title = (await report.getAttribute('title')) ?? '';
    assert.ok(title.includes(`until ${tokyo}.`) && title.includes('Cool off for an hour'), title);
    assert.equal(await otto.getByRole('button', { name: 'Upvote' }).getAttribute('aria-disabled'), 'true');
    await t.http.delete(`/api/moderation/users/${wendy.id}/ban`).set(as(moderator)).expect(204);
  });

  it('approves a pending reply from the thread: it reaches a reader’s page live', async () => {
    const held = await new Fixtures(t.app).newArticle();
    const author = await newUser(t, uniqueName('held'), { displayName: 'Hana Held' });
    const parent = await post(author, 'A comment before premoderation.', undefined, held.slug);
    await t.http
      .patch(`/api/articles/${held.slug}/settings`)
      .set(as(moderator))
      .send({ premoderation: true })
      .expect(200);
    const replier = await newUser(t, uniqueName('replier'), { displayName: 'Rae Replier' });
    const reply = await post(replier, 'A reply that waits for a moderator.', parent, held.slug);

    const reader = await open(`/articles/${held.slug}`);
    await commentArticle(reader, 'Hana Held').waitFor();
    assert.equal(await reader.getByText('A reply that waits for a moderator.').count(), 0);

    const page = await open(`/articles/${held.slug}`, moderator, 390);
    const comment = commentArticle(page, 'Rae Replier');
    await comment.getByText('awaiting moderation').waitFor();
    await comment.getByRole('button', { name: 'Moderate' }).click();
    await page.screenshot({ path: path.join(shots, 'moderation-menu-phone.png') });
    await comment.getByRole('button', { name: 'Approve' }).click();
    await comment.getByRole('status').getByText('Approved: readers see it now.').waitFor();
    assert.equal(await comment.getByText('awaiting moderation').count(), 0);

    await commentArticle(reader, 'Rae Replier').getByText('A reply that waits for a moderator.').waitFor();
    const stored = await t.http.get(`/api/comments/${reply}`).expect(200);
    assert.equal(stored.body.comment.status, 'visible');

    // The ban form on a phone; cancelled, it gives the focus back to the menu's button.
    const toggle = comment.getByRole('button', { name: 'Moderate' });
    await toggle.click();
    await comment.getByRole('button', { name: 'Ban Rae Replier…' }).click();
    const ban = comment.getByRole('form', { name: 'Ban Rae Replier' });
    await ban.getByRole('radio', { name: 'A week' }).check();
    await ban.getByText(/^Ends /).waitFor();
    await comment.screenshot({ path: path.join(shots, 'moderation-menu-ban-phone.png') });
    await ban.getByRole('button', { name: 'Cancel' }).click();
    await ban.waitFor({ state: 'detached' });
    assert.equal(await toggle.evaluate((b) => b === document.activeElement), true);
  });

  it('approving a held top-level comment from the thread counts it once in “Discussion (n)”', async () => {
    const held = await new Fixtures(t.app).newArticle();
    const author = await newUser(t, uniqueName('counted'), { displayName: 'Cora Counted' });
    const first = await post(author, 'A comment from before premoderation.', undefined, held.slug);
    await t.http
      .patch(`/api/articles/${held.slug}/settings`)
      .set(as(moderator))
      .send({ premoderation: true })
      .expect(200);
    const waiting = await newUser(t, uniqueName('waiting'), { displayName: 'Walt Waiting' });
    await post(waiting, 'A top-level comment that waits.', undefined, held.slug);

    const page = await open(`/articles/${held.slug}`, moderator);
    const heading = page.getByRole('heading', { name: /^Discussion/ });
    // A moderator's count has the held comment in it already.
    await heading.getByText('(2)').waitFor();
    const comment = commentArticle(page, 'Walt Waiting');
    await comment.getByRole('button', { name: 'Moderate' }).click();
    await comment.getByRole('button', { name: 'Approve' }).click();
    await comment.getByRole('status').getByText('Approved: readers see it now.').waitFor();

    // A vote after the approval: its live event is numbered after the approval's, so the page has taken the approval
    // in when the vote shows.
    const voter = await newUser(t, uniqueName('voter'));
    await t.http.put(`/api/comments/${first}/vote`).set(as(voter)).send({ value: 1 }).expect(200);
    await commentArticle(page, 'Cora Counted').locator('.score[title="1 up, 0 down"]').waitFor();
    assert.equal(await heading.innerText(), 'Discussion (2)');
    await page.reload();
    await heading.getByText('(2)').waitFor();
  });

  it('restores a removed comment from the thread: it comes back on a reader’s page live', async () => {
    const author = await newUser(t, uniqueName('restored'), { displayName: 'Rosa Restored' });
    const id = await post(author, 'Removed in haste, restored on reflection.');
    await t.http.post(`/api/moderation/comments/${id}/remove`).set(as(moderator)).send({}).expect(200);
    const reader = await open(`/articles/${article.slug}`);
    // Joined to the live room (the follower count comes with the join) before the restoration.
    await reader.getByText(/^\d+ following$/).waitFor();
    const page = await open(`/articles/${article.slug}`, moderator);
    const comment = commentArticle(page, 'Rosa Restored');
    await comment.getByText('removed', { exact: true }).waitFor();
    await comment.getByRole('button', { name: 'Moderate' }).click();
    assert.equal(
      await comment.getByRole('button', { name: 'Remove…' }).count(),
      0,
      'a removed comment is not removed again',
    );
    await comment.getByRole('button', { name: 'Restore', exact: true }).click();
    await comment.getByRole('status').getByText('Restored: readers see it again.').waitFor();
    assert.equal(await comment.getByText('removed', { exact: true }).count(), 0);
    await commentArticle(reader, 'Rosa Restored').getByText('Removed in haste, restored on reflection.').waitFor();
  });

  it('shows a comment’s reports from the thread, and dismisses them', async () => {
    const author = await newUser(t, uniqueName('reported'), { displayName: 'Rita Reported' });
    const id = await post(author, 'A comment some find off topic.');
    for (const [i, note] of ['Nothing to do with the essay', 'Spam, surely'].entries()) {
      const reporter = await newUser(t, uniqueName('reporter'), { displayName: `Reporter ${i}` });
      await t.http
        .post(`/api/comments/${id}/reports`)
        .set(as(reporter))
        .send({ reason: i === 0 ? 'off-topic' : 'spam', note })
        .expect(201);
    }
    const page = await open(`/articles/${article.slug}`, moderator, 1280, 'UTC', 'dark');
    const comment = commentArticle(page, 'Rita Reported');
    await comment.getByRole('button', { name: 'Moderate' }).click();
    await comment.getByRole('button', { name: 'See reports' }).click();
    const panel = comment.getByRole('region', { name: 'Reports on the comment by Rita Reported' });
    assert.equal(await panel.evaluate((el) => el === document.activeElement), true, 'the focus moves to the reports');
    const reports = panel.getByRole('list', { name: 'Reports' });
    await reports.getByText('Nothing to do with the essay').waitFor();
    const texts = await reports.getByRole('listitem').allInnerTexts();
    assert.equal(texts.length, 2);
    assert.match(texts[0], /^Spam, by Reporter 1 .*Spam, surely/);
    assert.match(texts[1], /^Off topic, by Reporter 0 .*Nothing to do with the essay/);
    await comment.getByText('2 reports open.').waitFor();
    await comment.screenshot({ path: path.join(shots, 'moderation-menu-reports-dark-desktop.png') });

    // A report made while the panel is open appears in it, first, without a reload.
    const late = await newUser(t, uniqueName('reporter'), { displayName: 'Reporter 2' });
    await t.http
      .post(`/api/comments/${id}/reports`)
      .set(as(late))
      .send({ reason: 'abuse', note: 'Reported while the panel was open' })
      .expect(201);
    await reports.getByText('Reported while the panel was open').waitFor();
    await comment.getByText('3 reports open.').waitFor();
    assert.match((await reports.getByRole('listitem').allInnerTexts())[0], /^Abuse or harassment, by Reporter 2 /);
    assert.equal(await reports.getByRole('listitem').count(), 3);

    await comment.getByRole('button', { name: 'Dismiss the open reports' }).click();
    await comment.getByRole('status').getByText('Reports dismissed: the comment stays.').waitFor();
    await comment.getByText('Every report is closed.').waitFor();
    assert.match(await reports.innerText(), /\(closed\)/);
    const after = await t.http.get(`/api/moderation/comments/${id}/reports`).set(as(moderator)).expect(200);
    assert.equal(after.body.open, 0);
    const stored = await t.http.get(`/api/comments/${id}`).expect(200);
    assert.equal(stored.body.comment.status, 'visible', 'the comment stays');
  });

  it('shows a queued comment’s history and its author’s record in the queue', async () => {
    const author = await newUser(t, uniqueName('record'), { displayName: 'Reggie Record' });
    const earlier = await post(author, 'An earlier comment, removed.');
    await t.http
      .post(`/api/moderation/comments/${earlier}/remove`)
      .set(as(moderator))
      .send({ reason: 'Off topic twice' })
      .expect(200);
    await t.http
      .post(`/api/moderation/users/${author.id}/ban`)
      .set(as(moderator))
      .send({ reason: 'A day away', until: new Date(Date.now() + 86_400_000).toISOString() })
      .expect(200);
    await t.http.delete(`/api/moderation/users/${author.id}/ban`).set(as(moderator)).expect(204);
    const id = await post(author, 'Back again, and reported again.');
    await t.http.post(`/api/moderation/comments/${id}/remove`).set(as(moderator)).send({ reason: 'Hasty' }).expect(200);
    await t.http
      .post(`/api/moderation/comments/${id}/restore`)
      .set(as(moderator))
      .send({ reason: 'On second thought, fine' })
      .expect(200);
    // The author's edit, between the restoration and the report: the history shows it in its place.
    await t.http
      .patch(`/api/comments/${id}`)
      .set(as(author))
      .send({ body: 'Back again, edited, and reported again.' })
      .expect(200);
    const reporter = await newUser(t, uniqueName('reporter'));
    await t.http.post(`/api/comments/${id}/reports`).set(as(reporter)).send({ reason: 'abuse' }).expect(201);

    const page = await open('/moderation', moderator);
    await page
      .getByRole('group', { name: 'Queue' })
      .getByRole('button', { name: /^Reported/ })
      .click();
    const item = page
      .getByRole('list', { name: 'Reported comments' })
      .getByRole('article', { name: 'Comment by Reggie Record' });
    await item.getByText('Back again, edited, and reported again.').waitFor();
    // The report's reason in words, as the thread's reports panel says it.
    await item.getByText('Abuse or harassment', { exact: true }).waitFor();
    await item.getByText('History and the author’s record').click();
    const history = item.getByRole('list', { name: 'Moderation of this comment' });
    await history.getByText('(the author) edited it').waitFor();
    const lines = await history.getByRole('listitem').allInnerTexts();
    assert.equal(lines.length, 3);
    assert.match(lines[0], /Reggie Record \(the author\) edited it$/);
    assert.match(lines[1], /restored it: “On second thought, fine”$/);
    assert.match(lines[2], /removed it: “Hasty”$/);

    const record = item.getByRole('region', { name: 'Reggie Record’s record' });
    await record.getByText('2 comments removed, 1 ban over all time.').waitFor();
    const entries = await record
      .getByRole('list', { name: 'Reggie Record’s record' })
      .getByRole('listitem')
      .allInnerTexts();
    assert.equal(entries.length, 5);
    assert.match(entries[0], /restored a comment: “On second thought, fine”$/);
    assert.match(entries[1], /removed a comment: “Hasty”$/);
    assert.match(entries[2], /lifted their ban$/);
    assert.match(entries[3], /banned them until .*: “A day away”$/);
    assert.match(entries[4], /removed a comment: “Off topic twice”$/);
    assert.equal(
      await record.getByRole('link', { name: 'a comment' }).last().getAttribute('href'),
      `/comments/${earlier}`,
    );
    await item.screenshot({ path: path.join(shots, 'moderation-queue-history-desktop.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await item.screenshot({ path: path.join(shots, 'moderation-queue-history-phone.png') });
  });
});
