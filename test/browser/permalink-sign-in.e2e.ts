import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Account, ADMIN_ENV, bearer, newUser, signInAdmin, uniqueName, withRole } from '../helpers/accounts.js';
import { type CommentFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, fillSignIn, newReader, openBrowser, type TestBrowser } from './browser.js';

/**
 * A comment's permalink read again for the reader who signs in there (in the dialog): their votes, their own held
 * comments and a moderator's tools appear without a reload, and the replies they had opened stay open.
 */
describe('signing in on a comment’s permalink', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let fx: Fixtures;
  let moderator: Account;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
    fx = new Fixtures(t.app);
    moderator = await withRole(t, (await signInAdmin(t)).token, 'moderator');
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A comment with 24 replies: more than its permalink includes (the last 4 come with "Load more replies"). */
  async function branch() {
    const article = await fx.newArticle();
    const root = await fx.newComment({ article, body: 'A comment many answered.' });
    const replies: CommentFixture[] = [];
    for (let i = 0; i < 24; i++)
      replies.push(
        await fx.newComment({
          article,
          parent: root,
          body: `Answer number ${i + 1}.`,
          createdAt: new Date(Date.UTC(2025, 2, 1, 0, i)),
        }),
      );
    return { article, root, replies };
  }

  it('shows the reader’s vote and their held reply, keeping the replies they had opened', async () => {
    const { article, root, replies } = await branch();
    const reader = await newUser(t, uniqueName('signer'), { displayName: 'Sid Signer' });
    const as = { Authorization: bearer(reader.token) };
    await t.http.put(`/api/comments/${replies[0].id}/vote`).set(as).send({ value: 1 }).expect(200);
    await t.http
      .patch(`/api/articles/${article.slug}/settings`)
      .set({ Authorization: bearer(moderator.token) })
      .send({ premoderation: true })
      .expect(200);
    const held = await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set(as)
      .send({ body: 'My answer, waiting for a moderator.', parentId: replies[1].id })
      .expect(201);
    assert.equal(held.body.status, 'pending');

    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/comments/${root.id}`);
    const reply = (n: number) => page.locator(`#comment-${replies[n - 1].id} > article`);
    await page.getByRole('button', { name: 'Load 4 more replies' }).click();
    await reply(24).waitFor();
    assert.equal(await page.getByText('My answer, waiting for a moderator.').count(), 0, 'not for anonymous eyes');

    await reply(23).getByRole('button', { name: 'Upvote' }).click();
    await fillSignIn(page, reader.username, reader.password);
    await reply(1).locator('button.vote.up[aria-pressed="true"]').waitFor();
    const own = page.locator(`#comment-${held.body.id as string} > article`);
    await own.getByText('My answer, waiting for a moderator.').waitFor();
    await own.getByText('awaiting moderation').waitFor();
    for (let n = 1; n <= 24; n++) assert.equal(await reply(n).count(), 1, `reply ${n} is still on the page`);
    assert.equal(await page.getByRole('button', { name: /Load \d+ more repl/ }).count(), 0);
    // Back on the button pressed; the vote is the reader's to make now.
    await reply(23).locator('button.vote.up:focus').waitFor();
    await context.close();
  });

  it('gives a moderator who signs in there the moderation menu and the removed replies’ text', async () => {
    const { root, replies } = await branch();
    await t.http
      .post(`/api/moderation/comments/${replies[23].id}/remove`)
      .set({ Authorization: bearer(moderator.token) })
      .send({})
      .expect(200);
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/comments/${root.id}`);
    const removed = page.locator(`#comment-${replies[23].id} > article`);
    await removed.getByText('[removed]', { exact: true }).waitFor();
    assert.equal(await removed.getByText('Answer number 24.').count(), 0);

    await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign in' }).click();
    await fillSignIn(page, moderator.username, moderator.password);
    await removed.getByText('Answer number 24.').waitFor();
    await removed.getByText('removed', { exact: true }).waitFor();
    await page.locator(`#comment-${root.id} > article`).getByRole('button', { name: 'Moderate' }).waitFor();
    await context.close();
  });
});
