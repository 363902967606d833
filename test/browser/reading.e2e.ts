import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Locator, type Page } from 'playwright-core';
import { bearer, newUser, uniqueName } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  browserSkipReason,
  openBrowser,
  openSignedIn,
  newReader,
  signUpThroughForm,
  TIMEOUT,
  type TestBrowser,
} from './browser.js';

const ESSAY = 'bolshevism-vs-stalinism';
const THREAD_ARTICLE = 'why-anti-socialists-talk-about-lenin-even-more-than-socialists';

/** Waits until the locator matches exactly `count` elements. */
async function waitForCount(locator: Locator, count: number): Promise<void> {
  const deadline = Date.now() + TIMEOUT;
  while ((await locator.count()) !== count) {
    if (Date.now() > deadline)
      throw new Error(`expected ${count} × ${String(locator)}, found ${await locator.count()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The thread's `<li>` of the comment whose author is `name` (its own header, not a reply's). */
function commentBy(page: Page, name: string) {
  return page
    .locator('li.comment')
    .filter({ has: page.locator(':scope > article > header .author', { hasText: name }) });
}

describe('the web client in Chromium', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ seed: true }), openBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the essays with their authors and comment counts', async () => {
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/`);
    const cards = page.locator('.article-card');
    await cards.first().waitFor();
    assert.equal(await cards.count(), 4);
    const essay = cards.filter({ hasText: 'Bolshevism vs. Stalinism' });
    assert.match(await essay.locator('.byline').innerText(), /Holly Quilty/);
    const thread = cards.filter({ has: page.locator(`a[href="/articles/${THREAD_ARTICLE}"]`) });
    assert.match(await thread.locator('.byline').innerText(), /8 comments/);
    await context.close();
  });

  it('renders "Bolshevism vs. Stalinism" block by block with its headings', async () => {
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/`);
    await page.getByRole('link', { name: 'Bolshevism vs. Stalinism' }).click();
    await page.waitForURL(`**/articles/${ESSAY}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Bolshevism vs. Stalinism');
    await page.getByRole('heading', { level: 2, name: 'Tsarist Russia' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'What about Stalin?' }).waitFor();
    const article = (await t.http.get(`/api/articles/${ESSAY}`).expect(200)).body;
    assert.equal(await page.locator('.essay .block').count(), article.blocks.length);
    assert.equal(await page.title(), 'Bolshevism vs. Stalinism · Essay forum');
    await context.close();
  });

  it('shows the reader thread nested: D.W. Jenkins answers Stewart', async () => {
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${THREAD_ARTICLE}`);
    await page.getByRole('list', { name: 'Comments' }).waitFor();
    const stewart = commentBy(page, 'Stewart');
    await stewart.waitFor();
    const reply = stewart.locator(':scope > ol.replies > li.comment').first();
    assert.equal(await reply.locator(':scope > article > header .author').innerText(), 'D.W. Jenkins');
    assert.match(await reply.locator('.comment-body').innerText(), /As Mr Stewart so lucidly points/);
    assert.match(await page.locator('#discussion-title').innerText(), /\(8\)/);
    await context.close();
  });

  it('signs up, replies to a comment with a stance, and the reply appears under it', async () => {
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${THREAD_ARTICLE}`);
    await signUpThroughForm(page, 'Ada Reader');

    const rochat = commentBy(page, 'Rochat');
    await rochat.locator(':scope > article').getByRole('button', { name: 'Reply' }).click();
    await page.getByLabel('Reply to Rochat').fill('Trade unions did more than **that**, surely.');
    await rochat.getByLabel('Stance').selectOption('disagree');
    await rochat.getByRole('button', { name: 'Post reply' }).click();

    const mine = rochat.locator(':scope > ol.replies > li.comment').filter({ hasText: 'Ada Reader' });
    await mine.waitFor();
    assert.equal(await mine.locator('.comment-body strong').innerText(), 'that');
    assert.equal(await mine.locator('.stance').innerText(), 'disagrees with Rochat');

    // A vote on someone else's comment; none on one's own.
    const upvote = rochat.locator(':scope > article > footer').getByRole('button', { name: 'Upvote' });
    await upvote.click();
    await rochat.locator(':scope > article > footer [aria-pressed="true"]').waitFor();
    // The score, and what a screen reader hears with it.
    const score = await rochat.locator(':scope > article > footer .score').innerText();
    assert.equal(score.replace(/\s+/g, ' '), 'Score 1 (1 up, 0 down)');
    assert.equal(await mine.getByRole('button', { name: 'Upvote' }).count(), 0);

    // The cookie session holds across a reload, with the vote; the reply was stored once.
    await page.reload();
    await page.getByText('Signed in as').waitFor();
    await commentBy(page, 'Ada Reader').waitFor();
    assert.equal(await upvote.getAttribute('aria-pressed'), 'true');
    const thread = (await t.http.get(`/api/articles/${THREAD_ARTICLE}/comments?sort=old&depth=10`).expect(200)).body;
    assert.equal(thread.total, 9);
    await context.close();
  });

  it('a second reader sees comments arrive live and the quoted passage’s margin count rise; a draft survives', async () => {
    const writer = await newReader(browser);
    const watcher = await newReader(browser);
    // A block no comment quotes yet, and a passage from it.
    const article = (await t.http.get(`/api/articles/${THREAD_ARTICLE}`).expect(200)).body;
    const block = article.blocks.find(
      (b: { kind: string; commentCount: number; text: string }) =>
        b.kind === 'paragraph' && b.commentCount === 0 && b.text.length > 80,
    );
    assert.ok(block, 'a paragraph nobody quotes');
    const passage = block.text.slice(0, block.text.indexOf(' ', 50));

    await watcher.page.goto(`${t.baseUrl}/articles/${THREAD_ARTICLE}`);
    await watcher.page.getByText(/\d+ following/).waitFor();
    const margin = watcher.page.locator(`[data-block-id="${block.id}"] .margin-count`);
    assert.equal(await margin.count(), 0);

    // A top-level comment quoting the passage, posted through the API by another reader.
    const quoter = await newUser(t, uniqueName('quoter'), { displayName: 'Quoting Reader' });
    await t.http
      .post(`/api/articles/${THREAD_ARTICLE}/comments`)
      .set('Authorization', bearer(quoter.token))
      .send({
        body: 'This passage carries the whole argument.',
        stance: 'agree',
        quote: { source: 'article', blockId: block.id, text: passage },
      })
      .expect(201);

    await margin.waitFor();
    assert.equal(await margin.innerText(), '1');
    // New top-level comments wait behind a button, so the page does not move under the reader.
    const waiting = watcher.page.getByRole('button', { name: 'Show 1 new comment' });
    await waiting.waitFor();
    assert.equal(await commentBy(watcher.page, 'Quoting Reader').count(), 0);
    await waiting.click();
    const arrived = commentBy(watcher.page, 'Quoting Reader');
    await arrived.waitFor();
    assert.equal(await arrived.locator('.comment-quote p').innerText(), passage);

    // A reply written in the first context appears in place in the second, without a click.
    const liveWriter = await newUser(t, uniqueName('writer'), { displayName: 'Live Writer' });
    await openSignedIn(writer.page, liveWriter, `${t.baseUrl}/articles/${THREAD_ARTICLE}`);
    const writerStewart = commentBy(writer.page, 'Stewart');
    await writerStewart.locator(':scope > article').getByRole('button', { name: 'Reply' }).click();
    const draft = writer.page.getByLabel('Reply to Stewart');
    await draft.fill('Seen live from another window.');

    // While the draft is being written, someone else's reply to the same comment arrives: the draft stays.
    const stewartId = await writerStewart.getAttribute('data-comment-id');
    await t.http
      .post(`/api/articles/${THREAD_ARTICLE}/comments`)
      .set('Authorization', bearer(quoter.token))
      .send({ body: 'A reply that arrives mid-draft.', parentId: stewartId })
      .expect(201);
    await writerStewart
      .locator(':scope > ol.replies > li.comment')
      .filter({ hasText: 'A reply that arrives mid-draft.' })
      .waitFor();
    assert.equal(await draft.inputValue(), 'Seen live from another window.');
    await writerStewart.getByRole('button', { name: 'Post reply' }).click();

    const live = commentBy(watcher.page, 'Stewart')
      .locator(':scope > ol.replies > li.comment')
      .filter({ hasText: 'Seen live from another window.' });
    await live.waitFor();
    assert.equal(await live.locator('header .author').innerText(), 'Live Writer');

    // The count also rises for the one who clicks it: it filters the thread to that passage.
    await margin.click();
    await watcher.page.getByText('Showing the comments on').waitFor();
    await waitForCount(watcher.page.locator('ol.thread > li.comment'), 1);
    assert.equal(await watcher.page.locator('ol.thread > li.comment .author').first().innerText(), 'Quoting Reader');

    await writer.context.close();
    await watcher.context.close();
  });
});
