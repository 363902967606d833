import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Page } from 'playwright-core';
import { ADMIN_ENV, bearer, newUser, signInAdmin, uniqueName, withRole } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  browserSkipReason,
  openBrowser,
  newReader,
  signInThroughForm,
  signedInReaderAt,
  TIMEOUT,
  type TestBrowser,
} from './browser.js';

const ARTICLE = 'why-anti-socialists-talk-about-lenin-even-more-than-socialists';

/** Selects `phrase` inside the essay block, the way a mouse drag over it would leave the selection. */
async function selectInBlock(page: Page, blockId: string, phrase: string): Promise<void> {
  // A string, not a function: this file is compiled without the DOM's types.
  await page.evaluate(`(${SELECT_IN_BLOCK})(${JSON.stringify(blockId)}, ${JSON.stringify(phrase)})`);
}

const SELECT_IN_BLOCK = String.raw`function (blockId, phrase) {
      const root = document.querySelector('[data-block-id="' + blockId + '"] .block-text');
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(phrase) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + phrase.length);
        const selection = document.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        return;
      }
      throw new Error('the phrase is not in one text node of block ' + blockId);
    }`;

describe('writing in the web client: quotes, drafts, moderation', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ seed: true, env: ADMIN_ENV }), openBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('quotes a selected phrase into a reply; a second reader sees the margin count rise live', async () => {
    const article = (await t.http.get(`/api/articles/${ARTICLE}`).expect(200)).body;
    const block = article.blocks.find(
      (b: { kind: string; commentCount: number; text: string }) =>
        b.kind === 'paragraph' && b.commentCount === 0 && b.text.length > 120,
    );
    assert.ok(block, 'a paragraph nobody quotes');
    const start = block.text.indexOf(' ', 10) + 1;
    const phrase = block.text.slice(start, block.text.indexOf(' ', start + 40));

    const watcher = await newReader(browser);
    await watcher.page.goto(`${t.baseUrl}/articles/${ARTICLE}`);
    await watcher.page.getByText(/\d+ following/).waitFor();
    const margin = watcher.page
      .locator(`[data-block-id="${block.id}"]`)
      .getByRole('button', { name: /on this passage/ });
    assert.equal(await margin.count(), 0);

    const taker = await newUser(t, uniqueName('quoter'), { displayName: 'Quote Taker' });
    const writer = await signedInReaderAt(browser, taker, `${t.baseUrl}/articles/${ARTICLE}`);
    await writer.page.locator(`[data-block-id="${block.id}"] .block-text`).waitFor();
    await selectInBlock(writer.page, block.id, phrase);
    await writer.page.getByRole('button', { name: 'Quote' }).click();

    // The quote stands above the essay's reply box, which has the focus.
    const box = writer.page.locator('form.reply-box').first();
    assert.equal(await box.locator('.quote-draft blockquote').innerText(), phrase);
    const textarea = writer.page.getByLabel('Your comment on the essay');
    assert.equal(await writer.page.evaluate('document.activeElement.id'), await textarea.getAttribute('id'));
    await textarea.fill('This is the sentence the argument hangs on.');
    await box.getByLabel('Stance').selectOption('evidence');
    await box.getByRole('button', { name: 'Post comment' }).click();

    const mine = writer.page.locator('li.comment').filter({ hasText: 'This is the sentence the argument hangs on.' });
    await mine.waitFor();
    assert.equal(await mine.locator('.comment-quote p').innerText(), phrase);
    assert.equal(await mine.locator('.comment-quote').getByRole('link').innerText(), 'from the essay');
    assert.equal(await box.locator('.quote-draft').count(), 0, 'the posted quote leaves the box');

    // The link to the quote's source goes to the paragraph.
    await mine.locator('.comment-quote').getByRole('link', { name: 'from the essay' }).click();
    // Checked here, not in the page: a string waitForFunction that must wait is evaluated there, and the CSP refuses it.
    await writer.page.waitForURL((url) => url.hash === `#block-${block.id}`);
    await writer.page.locator(`[data-block-id="${block.id}"].flash`).waitFor();

    // In the other browser context the paragraph's margin count rises, live.
    await margin.waitFor();
    assert.equal(await margin.innerText(), '1');
    assert.equal(await margin.getAttribute('aria-label'), '1 comment on this passage');

    await writer.context.close();
    await watcher.context.close();
  });

  it('keeps a reply being written across a reload and a re-sort, and forgets it once posted', async () => {
    const keeper = await newUser(t, uniqueName('keeper'), { displayName: 'Draft Keeper' });
    const { context, page } = await signedInReaderAt(browser, keeper, `${t.baseUrl}/articles/${ARTICLE}`);
    const top = page.getByLabel('Your comment on the essay');
    await top.fill('A first thought, not finished');

    const stewart = page.locator('li.comment').filter({
      has: page.locator(':scope > article > header .author', { hasText: 'Stewart' }),
    });
    await stewart.locator(':scope > article').getByRole('button', { name: 'Reply' }).click();
    await page.getByLabel('Reply to Stewart').fill('An answer to Stewart, half written');
    await stewart.getByLabel('Stance').selectOption('question');

    await page.reload();
    await page.getByText('Signed in as').waitFor();
    await page.getByLabel('Reply to Stewart').waitFor();
    assert.equal(await page.getByLabel('Your comment on the essay').inputValue(), 'A first thought, not finished');
    assert.equal(await page.getByLabel('Reply to Stewart').inputValue(), 'An answer to Stewart, half written');
    assert.equal(await stewart.getByLabel('Stance').inputValue(), 'question');

    // The re-sort is over when the thread shows the oldest comment first: only then is the draft's survival shown.
    const firstBy = async (sort: string) =>
      (
        (await t.http.get(`/api/articles/${ARTICLE}/comments?sort=${sort}&limit=1`).expect(200)).body as {
          items: { id: string }[];
        }
      ).items[0].id;
    const oldest = await firstBy('old');
    assert.notEqual(oldest, await firstBy('best'), 'the two sorts begin differently, so the new order shows');
    await page.getByRole('group', { name: 'Sort comments' }).getByRole('button', { name: 'Oldest' }).click();
    await page
      .locator(`ol.thread > li.comment:first-of-type[data-comment-id="${oldest}"]`)
      .waitFor({ timeout: TIMEOUT });
    assert.equal(await page.getByLabel('Reply to Stewart').inputValue(), 'An answer to Stewart, half written');

    await stewart.getByRole('button', { name: 'Post reply' }).click();
    await stewart.locator('li.comment').filter({ hasText: 'An answer to Stewart, half written' }).waitFor();
    await page.reload();
    await page.getByText('Signed in as').waitFor();
    await page.getByLabel('Your comment on the essay').waitFor();
    assert.equal(await page.getByLabel('Reply to Stewart').count(), 0, 'the posted draft is gone');
    assert.equal(await page.getByLabel('Your comment on the essay').inputValue(), 'A first thought, not finished');
    await context.close();
  });

  it('a moderator removes a reported comment in /moderation and the reader’s open view loses its body live', async () => {
    const admin = await signInAdmin(t);
    const moderator = await withRole(t, admin.token, 'moderator');
    const author = await newUser(t, uniqueName('troll'), { displayName: 'Loud Poster' });
    const reporter = await newUser(t, uniqueName('reporter'));
    const posted = await t.http
      .post(`/api/articles/${ARTICLE}/comments`)
      .set('Authorization', bearer(author.token))
      .send({ body: 'Buy cheap watches at example dot com' })
      .expect(201);
    await t.http
      .post(`/api/comments/${posted.body.id}/reports`)
      .set('Authorization', bearer(reporter.token))
      .send({ reason: 'spam', note: 'an advert' })
      .expect(201);

    const reader = await newReader(browser);
    await reader.page.goto(`${t.baseUrl}/articles/${ARTICLE}`);
    await reader.page.getByRole('group', { name: 'Sort comments' }).getByRole('button', { name: 'Newest' }).click();
    const shown = reader.page.locator(`li.comment[data-comment-id="${posted.body.id}"]`);
    await shown.getByText('Buy cheap watches').waitFor();
    await reader.page.getByText(/\d+ following/).waitFor();

    // A reader who is not a moderator is politely turned away.
    const outsider = await newReader(browser);
    await outsider.page.goto(`${t.baseUrl}/moderation`);
    await outsider.page.getByText('This page is for moderators').waitFor();
    await outsider.context.close();

    const mod = await newReader(browser);
    await mod.page.goto(`${t.baseUrl}/moderation`);
    await signInThroughForm(mod.page, moderator.username, moderator.password);
    await mod.page.getByRole('heading', { name: 'Moderation', level: 1 }).waitFor();
    await mod.page.getByRole('group', { name: 'Queue' }).getByRole('button', { name: 'Reported' }).click();
    const item = mod.page
      .getByRole('list', { name: 'Reported comments' })
      .getByRole('article', { name: 'Comment by Loud Poster' });
    await item.waitFor();
    assert.match(await item.innerText(), /Buy cheap watches/);
    assert.match(await item.getByRole('list', { name: 'Reports' }).innerText(), /^Spam by .*an advert/);
    await item.getByLabel('Reason').fill('advertising');
    await item.getByRole('button', { name: 'Remove' }).click();
    await mod.page.getByText('Nothing here. Well done.').waitFor();

    // The reader's open page: the body is gone, a placeholder stands in its place.
    await shown.getByText('Removed by a moderator.').waitFor();
    assert.equal(await shown.getByText('Buy cheap watches').count(), 0);

    // A new pending comment reaches the moderator's queue live.
    await mod.page
      .getByRole('group', { name: 'Queue' })
      .getByRole('button', { name: /Pending/ })
      .click();
    await mod.page.getByText('Nothing here. Well done.').waitFor();
    await t.http
      .patch(`/api/articles/${ARTICLE}/settings`)
      .set('Authorization', bearer(moderator.token))
      .send({ premoderation: true })
      .expect(200);
    const waiting = await t.http
      .post(`/api/articles/${ARTICLE}/comments`)
      .set('Authorization', bearer(reporter.token))
      .send({ body: 'Waiting for a moderator to look.' })
      .expect(201);
    assert.equal(waiting.body.status, 'pending');
    const pending = mod.page.getByRole('list', { name: 'Pending comments' }).getByRole('listitem').first();
    await pending
      .getByText('Waiting for a moderator to look.')
      .waitFor()
      .catch(async (e) => {
        await mod.page.screenshot({ path: '/tmp/mod-fail.png', fullPage: true });
        throw e;
      });
    await pending.getByRole('link', { name: ARTICLE }).waitFor();
    await pending.getByRole('button', { name: 'Approve' }).click();
    await mod.page.getByText('Nothing here. Well done.').waitFor();
    await t.http
      .patch(`/api/articles/${ARTICLE}/settings`)
      .set('Authorization', bearer(moderator.token))
      .send({ premoderation: false })
      .expect(200);

    await mod.context.close();
    await reader.context.close();
  });
});
