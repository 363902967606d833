import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Page } from 'playwright-core';
import { ADMIN_ENV, type Account, bearer, newUser, signInAdmin, uniqueName, withRole } from '../helpers/accounts.js';
import { type ArticleFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  browserSkipReason,
  commentArticle,
  openBrowser,
  newReader,
  openSignedIn,
  signInThroughForm,
  type TestBrowser,
} from './browser.js';

describe('reading comforts in the thread', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let fixtures: Fixtures;
  let moderator: Account;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
    fixtures = new Fixtures(t.app);
    moderator = await withRole(t, (await signInAdmin(t)).token, 'moderator');
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const url = (article: ArticleFixture) => `${t.baseUrl}/articles/${article.slug}`;

  /** The authors of the top-level comments, in the order the page shows them. */
  async function topAuthors(page: Page): Promise<string[]> {
    return page.locator('ol.thread > li > article .comment-meta .author').allInnerTexts();
  }

  async function commenter(name: string): Promise<string> {
    return (await fixtures.newUser(name)).id;
  }

  it('puts the chosen sort in the address, keeps it over a reload, and remembers it for the next essay', async () => {
    const article = await fixtures.newArticle();
    const other = await fixtures.newArticle();
    // The older comment has the votes: Best puts it first, Newest last.
    await fixtures.newComment({
      article,
      authorId: await commenter(uniqueName('old')),
      body: 'The older, well-liked comment.',
      createdAt: new Date(Date.now() - 3_600_000),
      votes: { up: 5, down: 0 },
    });
    await fixtures.newComment({ article, authorId: await commenter(uniqueName('new')), body: 'The newer one.' });
    const { context, page } = await newReader(browser);
    await page.goto(url(article));
    const sorts = page.getByRole('group', { name: 'Sort comments' });
    await page.getByText('The newer one.').waitFor();
    assert.equal(await sorts.getByRole('button', { name: 'Best' }).getAttribute('aria-pressed'), 'true');
    assert.equal(new URL(page.url()).searchParams.get('sort'), null);
    const bestOrder = await topAuthors(page);
    assert.match(bestOrder[0] ?? '', /^old-/);

    await sorts.getByRole('button', { name: 'Newest' }).click();
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('sort') === 'new');
    await page.waitForFunction(
      () => document.querySelector('ol.thread > li .comment-meta .author')?.textContent?.startsWith('new-') ?? false,
    );

    await page.reload();
    await page.getByText('The newer one.').waitFor();
    assert.equal(await sorts.getByRole('button', { name: 'Newest' }).getAttribute('aria-pressed'), 'true');
    assert.deepEqual(await topAuthors(page), [...bestOrder].reverse());

    // Another essay opened without a sort in its address: the reader's last choice.
    await page.goto(url(other));
    await page.getByText('No comments yet.').waitFor();
    assert.equal(await sorts.getByRole('button', { name: 'Newest' }).getAttribute('aria-pressed'), 'true');
    // A shared link's sort wins over the remembered one, and Best stays a choice like the others.
    await page.goto(`${url(article)}?sort=best`);
    await page.getByText('The newer one.').waitFor();
    assert.equal(await sorts.getByRole('button', { name: 'Best' }).getAttribute('aria-pressed'), 'true');
    assert.deepEqual(await topAuthors(page), bestOrder);
    await context.close();
  });

  it('hides and shows a comment’s replies from the keyboard, leaving the comment itself in place', async () => {
    const article = await fixtures.newArticle();
    const parentName = uniqueName('parent');
    const parent = await fixtures.newComment({
      article,
      authorId: await commenter(parentName),
      body: 'A comment with answers.',
    });
    for (const body of ['First answer.', 'Second answer.'])
      await fixtures.newComment({ article, parent, authorId: await commenter(uniqueName('reply')), body });
    const { context, page } = await newReader(browser);
    await page.goto(url(article));
    const comment = commentArticle(page, parentName);
    const hide = comment.getByRole('button', { name: 'Hide replies (2)' });
    await hide.waitFor();
    assert.equal(await hide.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.getByText('First answer.').isVisible(), true);

    await hide.focus();
    await page.keyboard.press('Enter');
    const show = comment.getByRole('button', { name: 'Show replies (2)' });
    await show.waitFor();
    assert.equal(await show.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.getByText('First answer.').isVisible(), false);
    assert.equal(await page.getByText('Second answer.').isVisible(), false);
    assert.equal(await comment.getByText('A comment with answers.').isVisible(), true);
    // The focus stays on the control, so the reader can open it again at once.
    assert.equal(await show.evaluate((el) => el === document.activeElement), true);

    await page.keyboard.press('Space');
    await page.getByText('Second answer.').waitFor();
    assert.equal(await hide.getAttribute('aria-expanded'), 'true');
    // A comment without replies has nothing to hide.
    assert.equal(await page.getByRole('button', { name: /replies \(/ }).count(), 1);
    await context.close();
  });

  it('clips a long comment with "Read more" and leaves a short one as it is', async () => {
    const article = await fixtures.newArticle();
    const longName = uniqueName('long');
    const shortName = uniqueName('short');
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i + 1} of a very long comment.`);
    const source = `${paragraphs.join('\n\n')}\n\n[A link at the end](https://example.org/end).`;
    await fixtures.newComment({ article, authorId: await commenter(longName), body: source });
    await fixtures.newComment({ article, authorId: await commenter(shortName), body: 'Short and sweet.' });
    const { context, page } = await newReader(browser);
    await page.goto(url(article));
    const long = commentArticle(page, longName);
    const short = commentArticle(page, shortName);
    await short.getByText('Short and sweet.').waitFor();

    const more = long.getByRole('button', { name: 'Read more' });
    await more.waitFor();
    assert.equal(await more.getAttribute('aria-expanded'), 'false');
    const body = long.locator('.comment-body');
    const clipped = await body.evaluate((el) => ({
      shown: el.clientHeight,
      whole: el.scrollHeight,
      line: parseFloat(getComputedStyle(el).lineHeight),
    }));
    // About twenty of the comment's lines, out of many more.
    assert.ok(Math.abs(clipped.shown - 20 * clipped.line) <= 1, `clipped to ${clipped.shown}px`);
    assert.ok(clipped.whole > 1.5 * clipped.shown, `${clipped.whole}px in all`);
    assert.equal(await long.getByText('Paragraph 30 of a very long comment.').isVisible(), true, 'in the DOM');
    const lastLine = await long.getByText('Paragraph 30 of a very long comment.').boundingBox();
    const box = await body.boundingBox();
    assert.ok(lastLine && box && lastLine.y > box.y + box.height, 'the last paragraph is below the clip');

    await more.click();
    const less = long.getByRole('button', { name: 'Show less' });
    assert.equal(await less.getAttribute('aria-expanded'), 'true');
    // Clipped again, a link in the hidden part reached with the keyboard opens the comment whole.
    await less.click();
    await more.waitFor();
    await long.getByRole('link', { name: 'A link at the end' }).focus();
    await less.waitFor();
    const whole = await body.evaluate((el) => ({ shown: el.clientHeight, whole: el.scrollHeight }));
    assert.equal(whole.shown, whole.whole);

    // The short comment: no button, nothing clipped.
    assert.equal(await short.getByRole('button', { name: 'Read more' }).count(), 0);
    const small = await short
      .locator('.comment-body')
      .evaluate((el) => ({ shown: el.clientHeight, whole: el.scrollHeight }));
    assert.equal(small.shown, small.whole);
    await context.close();
  });

  it('copies a comment’s absolute link and says so politely', async () => {
    const article = await fixtures.newArticle();
    const name = uniqueName('linked');
    const comment = await fixtures.newComment({ article, authorId: await commenter(name), body: 'Worth sharing.' });
    const { context, page } = await newReader(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl });
    await page.goto(url(article));
    const item = commentArticle(page, name);
    await item.getByRole('button', { name: 'Copy link' }).click();
    const said = item.getByText('Link copied');
    await said.waitFor();
    assert.equal(await said.getAttribute('aria-live'), 'polite');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${t.baseUrl}/comments/${comment.id}`);
    // The link copied opens the comment.
    await page.goto(await page.evaluate(() => navigator.clipboard.readText()));
    await page.getByText('Worth sharing.').waitFor();
    await context.close();
  });

  it('shuts a banned reader’s vote and report buttons, saying why and until when (date and time, in their zone)', async () => {
    const article = await fixtures.newArticle();
    const author = uniqueName('author');
    await fixtures.newComment({ article, authorId: await commenter(author), body: 'A comment to vote on.' });
    const reader = await newUser(t, uniqueName('banned'), { displayName: 'Bea Banned' });
    const until = new Date(Date.now() + 3_600_000);
    await t.http
      .post(`/api/moderation/users/${reader.id}/ban`)
      .set('Authorization', bearer(moderator.token))
      .send({ reason: 'Repeated personal attacks', until: until.toISOString() })
      .expect(200);

    const timezoneId = 'America/New_York';
    const { context, page } = await newReader(browser, { locale: 'en-US', timezoneId });
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(url(article));
    await signInThroughForm(page, reader.username, reader.password);

    // The end as the reader's clock reads it: the date, the hour and minute, the zone.
    const part = (options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat('en-US', { ...options, timeZone: timezoneId }).format(until);
    const date = part({ year: 'numeric', month: 'long', day: 'numeric' });
    const time = part({ hour: 'numeric', minute: '2-digit' }).replace(/\s/g, '\\s');
    const zone = part({ timeZoneName: 'short' }).split(' ').pop() ?? '';
    const end = new RegExp(`until ${date} at ${time} ${zone}\\.`);

    const banner = page.getByRole('alert').filter({ hasText: 'You are banned from writing' });
    await banner.waitFor();
    const bannerText = await banner.innerText();
    assert.match(bannerText, end);
    // The reason is a sentence of its own, not run into the next one.
    assert.match(bannerText, /Reason: Repeated personal attacks\. You can keep reading\.$/);

    const item = commentArticle(page, author);
    const up = item.getByRole('button', { name: 'Upvote' });
    const report = item.getByRole('button', { name: 'Report' });
    for (const button of [up, item.getByRole('button', { name: 'Downvote' }), report]) {
      assert.equal(await button.isVisible(), true);
      assert.equal(await button.isDisabled(), true);
      const note = page.locator(`#${await button.getAttribute('aria-describedby')}`);
      assert.equal(await note.isVisible(), true);
      const noteText = await note.innerText();
      assert.match(noteText, /^You are banned: you cannot vote, report or write /);
      assert.match(noteText, end);
      assert.match(noteText, /Reason: Repeated personal attacks\.$/);
    }

    // Pressed anyway: nothing is sent, nothing breaks, the score stays.
    await up.click({ force: true });
    await report.click({ force: true });
    assert.equal(await item.getByRole('form', { name: 'Report this comment' }).count(), 0);
    assert.match(await item.locator('.score').innerText(), /^Score\s+0\s/);
    const { body } = await t.http.get(`/api/articles/${article.slug}/comments`).expect(200);
    assert.equal(body.items[0].upvotes, 0);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('a vote refused for a ban the page missed says so, and shuts the buttons, without a script error', async () => {
    const article = await fixtures.newArticle();
    const author = uniqueName('voted');
    await fixtures.newComment({ article, authorId: await commenter(author), body: 'Vote on me.' });
    const reader = await newUser(t, uniqueName('absent'), { displayName: 'Abe Absent' });
    const { context, page } = await newReader(browser);
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    await openSignedIn(page, reader, url(article));
    await page.getByText(/^\d+ following$/).waitFor();

    // The ban comes while the connection is down: the live notice never reaches this page.
    await context.setOffline(true);
    await page.getByText('Reconnecting…').waitFor();
    await t.http
      .post(`/api/moderation/users/${reader.id}/ban`)
      .set('Authorization', bearer(moderator.token))
      .send({ reason: 'Spamming links' })
      .expect(200);
    await context.setOffline(false);
    await page.getByText(/^\d+ following$/).waitFor();

    const item = commentArticle(page, author);
    const up = item.getByRole('button', { name: 'Upvote' });
    assert.equal(await up.isDisabled(), false);
    await up.click();
    await item
      .getByRole('alert')
      .filter({ hasText: /banned/ })
      .waitFor();
    assert.equal(await up.isDisabled(), true);
    assert.equal(await item.getByRole('button', { name: 'Report' }).isDisabled(), true);
    assert.match(await item.locator('.score').innerText(), /^Score\s+0\s/);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('shows no score on a deleted reply’s placeholder', async () => {
    const article = await fixtures.newArticle();
    const parentName = uniqueName('asker');
    const parent = await fixtures.newComment({ article, authorId: await commenter(parentName), body: 'A question.' });
    await fixtures.newComment({ article, parent, body: 'Deleted later.', status: 'deleted' });
    await fixtures.newComment({ article, parent, authorId: await commenter(uniqueName('kept')), body: 'An answer.' });
    const { context, page } = await newReader(browser);
    await page.goto(url(article));
    await page.getByText('An answer.').waitFor();
    const placeholder = commentArticle(page, '[deleted]');
    await placeholder.getByText('Deleted by its author.').waitFor();
    assert.equal(await placeholder.getByText(/Score/).count(), 0);
    assert.equal(await placeholder.locator('.score').count(), 0);
    // The other comments keep theirs.
    assert.equal(await commentArticle(page, parentName).locator('.score').count(), 1);
    await context.close();
  });
});
