import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Locator, type Page } from 'playwright-core';
import { type Account, ADMIN_ENV, bearer, newUser, signInAdmin, uniqueName } from '../helpers/accounts.js';
import { ESSAY_AFTER_REVISION, ESSAY_BEFORE_REVISION } from '../helpers/revision-corpus.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import {
  browserSkipReason,
  commentArticle,
  openBrowser,
  newReader,
  signedInReaderAt,
  TIMEOUT,
  type TestBrowser,
} from './browser.js';

/**
 * The essay's passages in the reading view: the quoted words marked in the text (and the reader's choice to hide the
 * marks), a click on them showing their comments, a comment written at the passage from the margin, the link from a
 * revised quote to the revision it was written against, and what a stance says it is about.
 */

interface Block {
  id: string;
  text: string;
}

async function waitForCount(locator: Locator, count: number): Promise<void> {
  const deadline = Date.now() + TIMEOUT;
  while ((await locator.count()) !== count) {
    if (Date.now() > deadline)
      throw new Error(`expected ${count} × ${String(locator)}, found ${await locator.count()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('passages of the essay in the reading view', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let admin: Account;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
    admin = await signInAdmin(t);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function publish(title: string, body = ESSAY_BEFORE_REVISION): Promise<{ slug: string; blocks: Block[] }> {
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title: `${title} ${uniqueName('e')}`, author: 'A. Writer', body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { slug: string; blocks: Block[] };
  }

  async function post(
    slug: string,
    author: Account,
    fields: { body?: string; stance?: string; parentId?: string; quote?: { blockId: string; text: string } },
  ): Promise<string> {
    const { quote, ...rest } = fields;
    const res = await t.http
      .post(`/api/articles/${slug}/comments`)
      .set('Authorization', bearer(author.token))
      .send({
        body: `A comment by ${author.displayName}.`,
        ...rest,
        ...(quote ? { quote: { source: 'article', ...quote } } : {}),
      });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  }

  const marks = (page: Page, blockId: string) => page.locator(`#block-${blockId} .block-text mark.quoted`);
  const toggle = (page: Page) => page.getByRole('button', { name: 'Highlight commented passages' });
  const topLevel = (page: Page) => page.locator('ol.thread > li.comment');

  it('marks the quoted passages in the text, and a reader can turn the marks off, remembered after a reload', async () => {
    const essay = await publish('Marked');
    const [workers, soviets] = essay.blocks;
    const reader = await newUser(t);
    await post(essay.slug, reader, { quote: { blockId: soviets.id, text: 'the party followed them into October' } });
    await post(essay.slug, reader, { quote: { blockId: soviets.id, text: 'the party followed them' } });
    await post(essay.slug, reader, { quote: { blockId: workers.id, text: 'in every regiment' } });

    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${essay.slug}`);
    await marks(page, soviets.id).first().waitFor();
    // Two overlapping passages make one mark, which tells how many comments quote it.
    assert.deepEqual(await marks(page, soviets.id).allInnerTexts(), ['the party followed them into October']);
    assert.match((await marks(page, soviets.id).getAttribute('title')) ?? '', /^2 comments quote this passage/);
    assert.deepEqual(await marks(page, workers.id).allInnerTexts(), ['in every regiment']);
    assert.equal(
      (await page.locator(`#block-${workers.id} .block-text`).innerText()).trim(),
      workers.text,
      'the text reads as before',
    );
    // Not colour alone: the mark is underlined too.
    const underline = await marks(page, workers.id).evaluate((m) => getComputedStyle(m).borderBottomStyle);
    assert.equal(underline, 'dotted');
    assert.equal(await toggle(page).getAttribute('aria-pressed'), 'true');
    await page.screenshot({ path: '/tmp/h2-highlights-1280.png' });

    await toggle(page).click();
    await waitForCount(page.locator('.block-text mark'), 0);
    assert.equal(await toggle(page).getAttribute('aria-pressed'), 'false');
    await page.reload();
    await page.locator(`#block-${soviets.id}`).waitFor();
    await toggle(page).waitFor();
    assert.equal(await toggle(page).getAttribute('aria-pressed'), 'false', 'the choice is remembered');
    assert.equal(await page.locator('.block-text mark').count(), 0);

    await toggle(page).click();
    await waitForCount(marks(page, soviets.id), 1);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/h2-highlights-390.png' });
    await context.close();
  });

  it('shows the comments on a passage when its mark is clicked, and marks a new quote live', async () => {
    const essay = await publish('Clicked');
    const [workers, soviets, art] = essay.blocks;
    const alice = await newUser(t, uniqueName('alice'));
    const bob = await newUser(t, uniqueName('bob'));
    await post(essay.slug, alice, { quote: { blockId: soviets.id, text: 'organs of the revolution' } });
    await post(essay.slug, bob, { quote: { blockId: workers.id, text: 'Workers elected delegates' } });
    await post(essay.slug, bob, { body: 'No quote at all.' });

    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${essay.slug}`);
    await waitForCount(topLevel(page), 3);
    await marks(page, soviets.id).click();
    await waitForCount(topLevel(page), 1);
    await commentArticle(page, alice.displayName).waitFor();
    assert.equal(
      await page
        .locator(`#block-${soviets.id}`)
        .getByRole('button', { name: '1 comment on this passage' })
        .getAttribute('aria-pressed'),
      'true',
      'the same filter as the margin count',
    );
    await page.getByText('Showing the comments on').waitFor();

    await post(essay.slug, alice, { quote: { blockId: art.id, text: 'its timing' } });
    await waitForCount(marks(page, art.id), 1);
    assert.equal(await marks(page, art.id).innerText(), 'its timing');
    await context.close();
  });

  it('opens a reply box at the passage from the margin, keeps its draft, closes on Escape and posts a quote comment', async () => {
    const essay = await publish('Replied');
    const [, soviets, art, summer] = essay.blocks;
    const reader = await newUser(t, uniqueName('margin'));
    const { context, page } = await signedInReaderAt(browser, reader, `${t.baseUrl}/articles/${essay.slug}`);

    const block = page.locator(`#block-${summer.id}`);
    await block.hover();
    await block.getByRole('button', { name: 'Reply to this passage' }).click();
    const box = page.getByLabel('Your comment on this passage');
    await box.waitFor();
    assert.ok(await box.evaluate((el) => el === document.activeElement), 'the cursor is in the box');
    const form = block.locator('form.reply-box');
    assert.equal(await form.locator('.quote-draft blockquote').innerText(), summer.text);
    // At the passage: right under the block's text, not at the bottom of the page.
    const text = (await block.locator('.block-text').boundingBox())!;
    const at = (await form.boundingBox())!;
    const bottom = (await page.getByLabel('Your comment on the essay').boundingBox())!;
    assert.ok(
      at.y >= text.y + text.height - 40 && at.y <= text.y + text.height + 40,
      `box at ${at.y}, text ends at ${text.y + text.height}`,
    );
    assert.ok(at.y < bottom.y - 200, 'far above the discussion’s own box');
    await page.screenshot({ path: '/tmp/h2-margin-reply-1280.png' });

    await box.fill('The summer is when it turned.');
    await page.reload();
    const restored = page.getByLabel('Your comment on this passage');
    await restored.waitFor();
    assert.equal(await restored.inputValue(), 'The summer is when it turned.', 'the draft is kept');
    await restored.focus();
    await page.keyboard.press('Escape');
    await waitForCount(page.getByLabel('Your comment on this passage'), 0);
    const reply = block.getByRole('button', { name: 'Reply to this passage' });
    assert.ok(await reply.evaluate((el) => el === document.activeElement), 'the focus is back on the button');
    await reply.click();
    assert.equal(await page.getByLabel('Your comment on this passage').inputValue(), 'The summer is when it turned.');

    // Another passage's box is its own, and its quote is its own passage.
    await page.locator(`#block-${soviets.id}`).hover();
    await page.locator(`#block-${soviets.id}`).getByRole('button', { name: 'Reply to this passage' }).click();
    await waitForCount(page.getByLabel('Your comment on this passage'), 2);
    await page.locator(`#block-${soviets.id}`).getByRole('button', { name: 'Cancel' }).click();
    await waitForCount(page.getByLabel('Your comment on this passage'), 1);

    await page.setViewportSize({ width: 390, height: 844 });
    await block.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/h2-margin-reply-390.png' });
    await page.setViewportSize({ width: 1280, height: 900 });

    await block.getByLabel('Stance').selectOption('evidence');
    await block.getByRole('button', { name: 'Post comment' }).click();
    await waitForCount(page.getByLabel('Your comment on this passage'), 0);
    const mine = commentArticle(page, reader.displayName);
    await mine.waitFor();
    assert.equal(await mine.locator('.comment-quote p').innerText(), summer.text);
    await block.getByRole('button', { name: '1 comment on this passage' }).waitFor();

    const thread = await t.http.get(`/api/articles/${essay.slug}/comments`).expect(200);
    const posted = thread.body.items[0];
    assert.deepEqual(
      [posted.parentId, posted.stance, posted.body, posted.quote.blockId, posted.quote.text],
      [null, 'evidence', 'The summer is when it turned.', summer.id, summer.text],
    );
    await page.reload();
    await page.locator(`#block-${art.id}`).waitFor();
    assert.equal(await page.getByLabel('Your comment on this passage').count(), 0, 'no draft left behind');
    await context.close();
  });

  it('links a revised or orphaned quote to the revision it was written against', async () => {
    const essay = await publish('Revised');
    const [, soviets, , , doomed] = essay.blocks;
    const asker = await newUser(t, uniqueName('asker'));
    const doubter = await newUser(t, uniqueName('doubter'));
    await post(essay.slug, asker, { quote: { blockId: soviets.id, text: 'the party followed them into October' } });
    await post(essay.slug, doubter, { quote: { blockId: doomed.id, text: 'the calendar reform of February 1918' } });
    const revised = await t.http
      .patch(`/api/articles/${essay.slug}`)
      .set('Authorization', bearer(admin.token))
      .send({ body: ESSAY_AFTER_REVISION });
    assert.equal(revised.status, 200, JSON.stringify(revised.body));

    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${essay.slug}`);
    const changed = commentArticle(page, asker.displayName);
    await changed.getByText('Passage revised').waitFor();
    const then = changed.getByRole('link', { name: 'the essay as it read then (revision 1)' });
    assert.equal(await then.getAttribute('href'), `/articles/${essay.slug}/revisions/1#block-${soviets.id}`);
    const orphaned = commentArticle(page, doubter.displayName);
    await orphaned.getByText('This passage was removed or rewritten').waitFor();
    assert.equal(
      await orphaned.getByRole('link', { name: 'the essay as it read then (revision 1)' }).getAttribute('href'),
      `/articles/${essay.slug}/revisions/1#block-${doomed.id}`,
    );
    await changed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/h2-revised-1280.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await changed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/h2-revised-390.png' });

    await then.click();
    await page.waitForURL(`**/articles/${essay.slug}/revisions/1#block-${soviets.id}`);
    await page.getByText('Revision 1, as the essay read then').waitFor();
    assert.match(await page.locator(`#block-${soviets.id}`).innerText(), /the party followed them into October/);
    await context.close();
  });

  it('says what a stance is about, and keeps the whole total in the heading under a stance filter', async () => {
    const essay = await publish('Stances');
    const alice = await newUser(t, uniqueName('alice'), { displayName: 'Alice Arendt' });
    const bob = await newUser(t, uniqueName('bob'), { displayName: 'Bob Brecht' });
    const top = await post(essay.slug, alice, { stance: 'disagree', body: 'Not so.' });
    await post(essay.slug, bob, { stance: 'disagree', parentId: top, body: 'You are wrong.' });
    await post(essay.slug, bob, { stance: 'question', parentId: top, body: 'Why?' });
    await post(essay.slug, bob, { stance: 'evidence', parentId: top, body: 'See the minutes.' });
    await post(essay.slug, bob, { stance: 'agree', parentId: top, body: 'Quite.' });
    await post(essay.slug, bob, { stance: 'evidence', body: 'A source.' });
    await post(essay.slug, bob, { stance: 'question', body: 'A question.' });
    await post(essay.slug, bob, { stance: 'agree', body: 'Yes.' });

    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${essay.slug}`);
    await waitForCount(topLevel(page), 4);
    const stanceOf = async (author: string, body: string) =>
      page
        .getByRole('article', { name: `Comment by ${author}`, exact: true })
        .filter({ hasText: body })
        .locator('.stance')
        .innerText();
    assert.equal(await stanceOf('Alice Arendt', 'Not so.'), 'disagrees with the essay');
    assert.equal(await stanceOf('Bob Brecht', 'You are wrong.'), 'disagrees with Alice Arendt');
    assert.equal(await stanceOf('Bob Brecht', 'Why?'), 'asks Alice Arendt a question');
    assert.equal(await stanceOf('Bob Brecht', 'See the minutes.'), 'brings evidence to Alice Arendt’s comment');
    assert.equal(await stanceOf('Bob Brecht', 'Quite.'), 'agrees with Alice Arendt');
    assert.equal(await stanceOf('Bob Brecht', 'A source.'), 'brings evidence to the essay');
    assert.equal(await stanceOf('Bob Brecht', 'A question.'), 'asks a question of the essay');
    assert.equal(await stanceOf('Bob Brecht', 'Yes.'), 'agrees with the essay');

    const heading = page.getByRole('heading', { name: /^Discussion/ });
    assert.equal((await heading.innerText()).trim(), 'Discussion (8)');
    await page
      .getByRole('group', { name: 'Show comments by stance' })
      .getByRole('button', { name: 'Disagree' })
      .click();
    await waitForCount(topLevel(page), 1);
    assert.equal((await heading.innerText()).trim(), 'Discussion (8) · filtered by stance', 'the whole total');
    await page.getByText('Showing the comments that disagree with the essay').waitFor();
    await page.locator('#discussion').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/h2-stances-1280.png' });
    await page.getByRole('button', { name: 'Show every stance' }).click();
    await waitForCount(topLevel(page), 4);
    assert.equal((await heading.innerText()).trim(), 'Discussion (8)');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#discussion').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/h2-stances-390.png' });
    await context.close();
  });
});
