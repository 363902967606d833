import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Page } from 'playwright-core';
import {
  ADMIN_ENV,
  type Account,
  bearer,
  newSession,
  newUser,
  signInAdmin,
  uniqueName,
  withRole,
} from '../helpers/accounts.js';
import { type ArticleFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { REPORT_NOTE_MAX } from '../../src/common/limits.js';
import {
  browserSkipReason,
  commentArticle,
  openBrowser,
  newReader,
  signInThroughForm,
  signedInReaderAt,
  type TestBrowser,
} from './browser.js';

describe('a reader’s own comments, reports and notices in the web client', { skip: browserSkipReason() }, () => {
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

  /** A comment posted through the API with the account's token; returns its id. */
  async function postAs(account: Account, article: ArticleFixture, body: string, parentId?: string): Promise<string> {
    const res = await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(account.token))
      .send(parentId ? { body, parentId } : { body })
      .expect(201);
    return res.body.id as string;
  }

  /** Writes a top-level comment through the essay's reply box and waits until it shows; returns its id. */
  async function postThroughPage(page: Page, author: string, body: string): Promise<string> {
    await page.getByLabel('Your comment on the essay').fill(body);
    await page.getByRole('button', { name: 'Post comment' }).click();
    const mine = commentArticle(page, author).filter({ hasText: body });
    await mine.waitFor();
    const id = await mine.locator('xpath=..').getAttribute('data-comment-id');
    assert.ok(id);
    return id;
  }

  /** The live connection has (re)joined the article: after a sign-in it reconnects to be known by name. */
  async function following(page: Page): Promise<void> {
    await page.getByText(/^\d+ following$/).waitFor();
  }

  it('previews a comment as it will show, with formatting help, and drops a preview the next keystroke makes stale', async () => {
    const article = await fixtures.newArticle();
    const author = await newUser(t, uniqueName('previewer'), { displayName: 'Pia Preview' });
    const writer = await signedInReaderAt(browser, author, url(article));
    const box = writer.page.locator('form.reply-box').first();
    assert.equal(await box.getByRole('button', { name: 'Preview' }).count(), 0, 'nothing to preview yet');
    await box.getByText('Formatting help').click();
    await box.getByText('@username tells that reader').waitFor();
    await writer.page
      .getByLabel('Your comment on the essay')
      .fill('Some **bold** words and a [link](https://example.org).');
    await box.getByRole('button', { name: 'Preview' }).click();
    const preview = box.getByRole('region', { name: 'Preview' });
    assert.equal(await preview.locator('strong').innerText(), 'bold');
    assert.equal(await preview.getByRole('link', { name: 'link' }).getAttribute('href'), 'https://example.org');
    await writer.page.screenshot({ path: '/tmp/i-comment-preview-desktop.png' });
    await writer.page.getByLabel('Your comment on the essay').press('End');
    await writer.page.keyboard.type(' More.');
    await preview.waitFor({ state: 'detached' });
    await box.getByRole('button', { name: 'Preview' }).waitFor();
    await writer.context.close();
  });

  it('edits one’s own comment: the new text and an "edited" mark show, the earlier version is kept, another reader sees it live', async () => {
    const article = await fixtures.newArticle();
    const author = await newUser(t, uniqueName('editor'), { displayName: 'Eda Editor' });
    const writer = await signedInReaderAt(browser, author, url(article));
    await postThroughPage(writer.page, 'Eda Editor', 'The first paragraph is too long.');

    const watcher = await newReader(browser);
    await watcher.page.goto(url(article));
    const seen = commentArticle(watcher.page, 'Eda Editor');
    await seen.getByText('The first paragraph is too long.').waitFor();
    await following(watcher.page);
    assert.equal(await seen.getByText('edited', { exact: true }).count(), 0);
    assert.equal(await seen.getByRole('button', { name: 'Edit' }).count(), 0, 'no Edit on someone else’s comment');

    const mine = commentArticle(writer.page, 'Eda Editor');
    await mine.getByRole('button', { name: 'Edit' }).click();
    const box = mine.getByLabel('Edit your comment');
    assert.equal(await box.inputValue(), 'The first paragraph is too long.');
    await box.fill('On reflection, the *second* paragraph is too long.');
    await mine.getByRole('button', { name: 'Save' }).click();

    // The author's page: the new text in place of the old, the form gone, the mark there.
    await mine.getByText('On reflection, the second paragraph is too long.').waitFor();
    assert.equal(await mine.getByRole('emphasis').innerText(), 'second');
    assert.equal(await mine.getByLabel('Edit your comment').count(), 0);
    assert.equal(await mine.getByText('The first paragraph is too long.').count(), 0);
    await mine.getByText('edited', { exact: true }).click();
    const versions = mine.getByRole('list', { name: 'Earlier versions' });
    await versions.waitFor();
    assert.equal(await versions.getByRole('listitem').count(), 1);
    assert.match(await versions.innerText(), /The first paragraph is too long\./);

    // The other reader's page, without a reload: the new text, the mark, and the history behind it.
    await seen.getByText('On reflection, the second paragraph is too long.').waitFor();
    assert.equal(await seen.getByText('The first paragraph is too long.').count(), 0);
    await seen.getByText('edited', { exact: true }).click();
    const seenVersions = seen.getByRole('list', { name: 'Earlier versions' });
    await seenVersions.getByText('The first paragraph is too long.').waitFor();

    // A second edit: the history on show does not stay behind; opened again, it lists both earlier versions.
    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.getByLabel('Edit your comment').fill('Both paragraphs could go.');
    await mine.getByRole('button', { name: 'Save' }).click();
    await seen.getByText('Both paragraphs could go.').waitFor();
    assert.equal(await seenVersions.count(), 0, 'no stale history left open');
    await seen.getByText('edited', { exact: true }).click();
    await seenVersions.getByText('On reflection, the second paragraph is too long.').waitFor();
    assert.deepEqual(await seenVersions.getByRole('listitem').locator('.comment-body').allInnerTexts(), [
      'The first paragraph is too long.',
      'On reflection, the second paragraph is too long.',
    ]);
    // Each version says what the edit after it changed, word by word, in the Markdown as written.
    const first = seenVersions.getByRole('listitem').nth(0);
    await first.getByText('What the next edit changed').click();
    const firstDiff = first.locator('.diff');
    await firstDiff.locator('ins').first().waitFor();
    assert.deepEqual(await firstDiff.locator('del').allInnerTexts(), ['The first']);
    assert.deepEqual(await firstDiff.locator('ins').allInnerTexts(), ['On reflection, the *second*']);
    assert.equal(await firstDiff.innerText(), 'The firstOn reflection, the *second* paragraph is too long.');
    const last = seenVersions.getByRole('listitem').nth(1);
    await last.getByText('What the next edit changed').click();
    await last.locator('.diff ins').first().waitFor();
    assert.deepEqual(await last.locator('.diff ins').allInnerTexts(), ['Both paragraphs could go.']);
    await seenVersions.screenshot({ path: '/tmp/i-edit-diff-desktop.png' });

    await writer.context.close();
    await watcher.context.close();
  });

  it('deletes one’s own comment after a confirmation: a placeholder stays with its reply, live for another reader', async () => {
    const article = await fixtures.newArticle();
    const author = await newUser(t, uniqueName('deleter'), { displayName: 'Del Author' });
    const replier = await newUser(t, uniqueName('replier'), { displayName: 'Ray Replier' });
    const writer = await signedInReaderAt(browser, author, url(article));
    const id = await postThroughPage(writer.page, 'Del Author', 'A thought I will regret.');
    await postAs(replier, article, 'An answer that should outlive it.', id);
    await commentArticle(writer.page, 'Ray Replier').waitFor();

    const watcher = await newReader(browser);
    await watcher.page.goto(url(article));
    await commentArticle(watcher.page, 'Del Author').getByText('A thought I will regret.').waitFor();
    await following(watcher.page);

    // Saying no to the confirmation keeps the comment.
    const mine = commentArticle(writer.page, 'Del Author');
    const asked: string[] = [];
    writer.page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await mine.getByRole('button', { name: 'Delete' }).click();
    assert.equal(asked.length, 1);
    assert.match(asked[0], /Delete your comment\?/);
    assert.equal(await mine.getByText('A thought I will regret.').count(), 1);

    writer.page.once('dialog', (dialog) => void dialog.accept());
    await mine.getByRole('button', { name: 'Delete' }).click();
    const placeholder = commentArticle(writer.page, '[deleted]');
    await placeholder.getByText('Deleted by its author.').waitFor();
    assert.equal(await commentArticle(writer.page, 'Del Author').count(), 0);
    assert.equal(await placeholder.getByRole('button', { name: 'Edit' }).count(), 0);
    assert.equal(await placeholder.getByRole('button', { name: 'Reply', exact: true }).count(), 0);
    const kept = writer.page.locator(`li.comment[data-comment-id="${id}"] ol.replies`);
    await commentArticle(kept, 'Ray Replier').getByText('An answer that should outlive it.').waitFor();

    // The other reader: the same placeholder, live, the reply still under it.
    const gone = commentArticle(watcher.page, '[deleted]');
    await gone.getByText('Deleted by its author.').waitFor();
    assert.equal(await watcher.page.getByText('A thought I will regret.').count(), 0);
    const stays = watcher.page.locator(`li.comment[data-comment-id="${id}"] ol.replies`);
    assert.equal(await commentArticle(stays, 'Ray Replier').getByText('An answer that should outlive it.').count(), 1);
    assert.equal(
      (await t.http.get(`/api/articles/${article.slug}/comments`).expect(200)).body.items[0].status,
      'deleted',
    );

    await writer.context.close();
    await watcher.context.close();
  });

  it('reports someone else’s comment: the reader is thanked and the report waits in the moderators’ queue', async () => {
    const article = await fixtures.newArticle();
    const poster = await newUser(t, uniqueName('poster'), { displayName: 'Rude Poster' });
    const id = await postAs(poster, article, 'Everyone who disagrees is an idiot.');
    const reader = await newUser(t, uniqueName('reporter'), { displayName: 'Careful Reader' });

    const { context, page } = await newReader(browser);
    await page.goto(url(article));
    const theirs = commentArticle(page, 'Rude Poster');
    await theirs.waitFor();
    assert.equal(await theirs.getByRole('button', { name: 'Report' }).count(), 0, 'no Report before signing in');
    await signInThroughForm(page, reader.username, reader.password);

    await theirs.getByRole('button', { name: 'Report' }).click();
    const form = theirs.getByRole('form', { name: 'Report this comment' });
    await form.getByLabel('Why should a moderator look at it?').selectOption('abuse');
    await form.getByLabel('Note').fill('an insult, not an argument');
    await form.getByRole('button', { name: 'Send report' }).click();
    const thanks = theirs.getByRole('status');
    await thanks.getByText('Thank you: a moderator will look at this comment.').waitFor();
    assert.equal(await form.count(), 0);
    await thanks.getByRole('button', { name: 'Close' }).click();
    assert.equal(await thanks.count(), 0);
    assert.equal(await theirs.getByText('Everyone who disagrees is an idiot.').count(), 1, 'a report hides nothing');

    const queue = await t.http
      .get('/api/moderation/queue?status=reported')
      .set('Authorization', bearer(moderator.token))
      .expect(200);
    const item = queue.body.items.find((i: { id: string }) => i.id === id);
    assert.ok(item, 'the reported comment is in the queue');
    assert.equal(item.articleSlug, article.slug);
    assert.deepEqual(
      item.reports.map((r: { reason: string; note: string; reporter: { username: string } }) => [
        r.reason,
        r.note,
        r.reporter.username,
      ]),
      [['abuse', 'an insult, not an argument', reader.username]],
    );
    await context.close();
  });

  it('the report note box takes a note as long as the server accepts, and not a character more', async () => {
    const article = await fixtures.newArticle();
    const poster = await newUser(t, uniqueName('poster'), { displayName: 'Long Poster' });
    const id = await postAs(poster, article, 'A comment someone will report at length.');
    const reader = await newUser(t, uniqueName('reporter'), { displayName: 'Thorough Reader' });
    // The server's own limit, asked of the server: one character over it is refused.
    await t.http
      .post(`/api/comments/${id}/reports`)
      .set('Authorization', bearer(reader.token))
      .send({ reason: 'other', note: 'x'.repeat(REPORT_NOTE_MAX + 1) })
      .expect(400);

    const { context, page } = await signedInReaderAt(browser, reader, url(article));
    const theirs = commentArticle(page, 'Long Poster');
    await theirs.getByRole('button', { name: 'Report' }).click();
    const form = theirs.getByRole('form', { name: 'Report this comment' });
    const note = form.getByLabel('Note');
    await note.fill('n'.repeat(REPORT_NOTE_MAX - 1));
    await note.pressSequentially('ab');
    const typed = await note.inputValue();
    assert.equal(typed.length, REPORT_NOTE_MAX, 'the box takes characters up to the server limit and stops there');
    await form.getByRole('button', { name: 'Send report' }).click();
    await theirs.getByRole('status').getByText('Thank you: a moderator will look at this comment.').waitFor();

    const queue = await t.http
      .get('/api/moderation/queue?status=reported')
      .set('Authorization', bearer(moderator.token))
      .expect(200);
    const item = queue.body.items.find((i: { id: string }) => i.id === id);
    assert.deepEqual(
      item?.reports.map((r: { note: string }) => r.note),
      [typed],
      'the whole note arrived',
    );
    await context.close();
  });

  it('tells a reader live that someone replied to them, with a link to the reply', async () => {
    const article = await fixtures.newArticle();
    const reader = await newUser(t, uniqueName('asker'), { displayName: 'Ann Asker' });
    const answerer = await newUser(t, uniqueName('answerer'), { displayName: 'Abe Answerer' });
    const { context, page } = await signedInReaderAt(browser, reader, url(article));
    const id = await postThroughPage(page, 'Ann Asker', 'Has anyone read the sources?');
    await following(page);

    const replyId = await postAs(answerer, article, 'I have: chapter three is the key.', id);
    const notice = page.getByRole('status').filter({ hasText: 'Abe Answerer replied to you.' });
    await notice.waitFor();
    const link = notice.getByRole('link', { name: 'Read the reply' });
    assert.equal(await link.getAttribute('href'), `/comments/${replyId}`);
    // The reply is in the thread too, under the comment it answers.
    const under = page.locator(`li.comment[data-comment-id="${id}"] ol.replies`);
    await commentArticle(under, 'Abe Answerer').getByText('I have: chapter three is the key.').waitFor();

    // A reply to someone else is no notice for this reader.
    const other = await newUser(t, uniqueName('other'), { displayName: 'Otto Other' });
    const otherId = await postAs(other, article, 'A comment by someone else.');
    await page.getByRole('button', { name: 'Show 1 new comment' }).click();
    await commentArticle(page, 'Otto Other').waitFor();
    await postAs(answerer, article, 'An answer to Otto.', otherId);
    await commentArticle(page, 'Abe Answerer').getByText('An answer to Otto.').waitFor();
    assert.equal(await page.getByText('replied to you').count(), 1);

    await link.click();
    await page.waitForURL(`**/comments/${replyId}`);
    await commentArticle(page.getByRole('list', { name: 'Comment', exact: true }), 'Abe Answerer')
      .getByText('I have: chapter three is the key.')
      .waitFor();
    await context.close();
  });

  it('a reader banned by a moderator is told at once, keeps their draft, and can no longer write', async () => {
    const article = await fixtures.newArticle();
    const reader = await newUser(t, uniqueName('hothead'), { displayName: 'Hal Hothead' });
    const other = await newUser(t, uniqueName('calm'), { displayName: 'Cal Calm' });
    await postAs(other, article, 'A calm remark.');
    await postAs(reader, article, 'My earlier comment.');

    const { context, page } = await signedInReaderAt(browser, reader, url(article));
    const calm = commentArticle(page, 'Cal Calm');
    await calm.getByRole('button', { name: 'Reply', exact: true }).click();
    await page.getByLabel('Reply to Cal Calm').fill('You are all wrong and');
    const own = commentArticle(page, 'Hal Hothead');
    await own.getByRole('button', { name: 'Edit' }).waitFor();
    await following(page);

    await t.http
      .post(`/api/moderation/users/${reader.id}/ban`)
      .set('Authorization', bearer(moderator.token))
      .send({ reason: 'Repeated personal attacks' })
      .expect(200);

    const banner = page.getByRole('alert').filter({ hasText: 'You are banned from writing' });
    await banner.waitFor();
    assert.match(await banner.innerText(), /until a moderator lifts the ban\. Reason: Repeated personal attacks/);
    // Every way to write is shut, and says why; what was typed stays.
    assert.equal(await page.getByRole('button', { name: 'Reply', exact: true }).count(), 0);
    assert.equal(await own.getByRole('button', { name: 'Edit' }).count(), 0);
    assert.equal(await own.getByRole('button', { name: 'Delete' }).count(), 0);
    const essayBox = page.getByLabel('Your comment on the essay');
    assert.equal(await essayBox.isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Post comment' }).isDisabled(), true);
    const draft = page.getByLabel('Reply to Cal Calm');
    assert.equal(await draft.isDisabled(), true);
    assert.equal(await draft.inputValue(), 'You are all wrong and');
    assert.equal(await calm.getByRole('button', { name: 'Post reply' }).isDisabled(), true);
    for (const box of [essayBox, draft]) {
      const note = page.locator(`#${await box.getAttribute('aria-describedby')}`);
      assert.equal(await note.innerText(), 'You cannot write while you are banned.');
    }

    // The server agrees: a write with the reader's account is refused.
    await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(reader.token))
      .send({ body: 'Let me in.' })
      .expect(403);
    await context.close();
  });

  it('a ban missed while offline: the refused post shows the server’s reason, keeps the text and shuts writing', async () => {
    const article = await fixtures.newArticle();
    const reader = await newUser(t, uniqueName('absent'), { displayName: 'Abe Absent' });
    const { context, page } = await signedInReaderAt(browser, reader, url(article));
    await following(page);

    // The ban comes while the reader's connection is down: the live notice never reaches this page.
    await context.setOffline(true);
    await page.getByText('Reconnecting…').waitFor();
    await t.http
      .post(`/api/moderation/users/${reader.id}/ban`)
      .set('Authorization', bearer(moderator.token))
      .send({ reason: 'Spamming links' })
      .expect(200);
    await context.setOffline(false);
    await following(page);
    assert.equal(await page.getByRole('alert').count(), 0);

    const box = page.getByLabel('Your comment on the essay');
    await box.fill('Back online, and posting.');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.getByRole('alert').filter({ hasText: 'You are banned without an end date: Spamming links' }).waitFor();
    const banner = page.getByRole('alert').filter({ hasText: 'You are banned from writing' });
    assert.equal(await banner.innerText(), 'You are banned from writing. You can keep reading.');
    assert.equal(await box.isDisabled(), true);
    assert.equal(await box.inputValue(), 'Back online, and posting.');
    assert.equal(await page.getByRole('button', { name: 'Post comment' }).isDisabled(), true);
    assert.equal((await t.http.get(`/api/articles/${article.slug}/comments`).expect(200)).body.total, 0);
    await context.close();
  });

  it('a banned reader still knows it after a reload: the notice is back and writing stays shut', async () => {
    const article = await fixtures.newArticle();
    const reader = await newUser(t, uniqueName('cooling'), { displayName: 'Coe Cooling' });
    await postAs(reader, article, 'Written before the ban.');
    const { context, page } = await signedInReaderAt(browser, reader, url(article));
    await following(page);
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await t.http
      .post(`/api/moderation/users/${reader.id}/ban`)
      .set('Authorization', bearer(moderator.token))
      .send({ reason: 'Cooling off', until })
      .expect(200);
    const banner = page.getByRole('alert').filter({ hasText: 'You are banned from writing' });
    await banner.waitFor();

    // A reload forgets everything the page was told live: the ban comes back from the server (`GET /api/auth/me`).
    await page.reload();
    await page.getByText('Signed in as').waitFor();
    await banner.waitFor();
    const text = await banner.innerText();
    assert.match(text, /Reason: Cooling off/);
    assert.match(text, new RegExp(`until .*${new Date(until).getUTCFullYear()}`));
    assert.doesNotMatch(text, /until a moderator lifts the ban/);
    const box = page.getByLabel('Your comment on the essay');
    assert.equal(await box.isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Post comment' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Reply', exact: true }).count(), 0);
    assert.equal(await commentArticle(page, 'Coe Cooling').getByRole('button', { name: 'Edit' }).count(), 0);
    await context.close();
  });

  it('signing out in one tab signs the other tab out too: its live connection is closed, and it carries on as a guest', async () => {
    const article = await fixtures.newArticle();
    const reader = await newUser(t, uniqueName('twotabs'), { displayName: 'Tabitha Two' });
    // A session of its own: signing out ends it, and the reader still posts below with the fixture's token.
    const { context, page: first } = await signedInReaderAt(browser, await newSession(t, reader), url(article));
    const second = await context.newPage();
    await second.goto(url(article));
    await second.getByText('Signed in as').waitFor();
    await following(second);

    await first.getByRole('button', { name: 'Sign out' }).click();
    // The other tab learns it without a reload: the header offers to sign in, and it follows the essay again.
    await second.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign in' }).waitFor();
    await following(second);
    // As a guest it still sees comments arrive live.
    await postAs(reader, article, 'Posted from elsewhere after signing out here.');
    await second.getByRole('button', { name: 'Show 1 new comment' }).waitFor();
    await context.close();
  });
});
