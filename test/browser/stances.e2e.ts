import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Locator, type Page } from 'playwright-core';
import { type Account, ADMIN_ENV, bearer, newUser, signInAdmin, uniqueName } from '../helpers/accounts.js';
import { ESSAY_AFTER_REVISION, ESSAY_BEFORE_REVISION } from '../helpers/revision-corpus.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, commentArticle, openBrowser, newReader, TIMEOUT, type TestBrowser } from './browser.js';

interface Block {
  id: string;
}

/** Waits until the locator matches exactly `count` elements. */
async function waitForCount(locator: Locator, count: number): Promise<void> {
  const deadline = Date.now() + TIMEOUT;
  while ((await locator.count()) !== count) {
    if (Date.now() > deadline)
      throw new Error(`expected ${count} × ${String(locator)}, found ${await locator.count()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The texts of the essay's stance tally, in order. */
function tally(page: Page): Locator {
  return page.getByRole('list', { name: 'Stances towards the essay' }).getByRole('listitem');
}

/** The stance tally in the margin of one block. */
function marginStances(page: Page, blockId: string): Locator {
  return page.locator(`#block-${blockId}`).getByRole('list', { name: 'Stances on this passage' }).getByRole('listitem');
}

describe('stances and quote anchors in the reading view', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let admin: Account;
  let slug: string;
  let blocks: Block[];
  /** One reader per stance, so that each comment is found by its author's name. */
  const readers: Record<string, Account> = {};

  async function post(author: Account, fields: { stance: string; quote: Record<string, string> }): Promise<string> {
    const res = await t.http
      .post(`/api/articles/${slug}/comments`)
      .set('Authorization', bearer(author.token))
      .send({ body: `Said with ${fields.stance}.`, ...fields });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as string;
  }

  function quoting(block: Block, text: string) {
    return { source: 'article', blockId: block.id, text };
  }

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
    admin = await signInAdmin(t);
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title: 'The soviets in 1917', author: 'A. Writer', body: ESSAY_BEFORE_REVISION });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    slug = res.body.slug as string;
    blocks = res.body.blocks as Block[];
    for (const stance of ['agree', 'disagree', 'question', 'evidence', 'late'])
      readers[stance] = await newUser(t, uniqueName(stance));
    const [workers, soviets, , summer, doomed] = blocks;
    await post(readers.agree, {
      stance: 'agree',
      quote: quoting(workers, 'soldiers did the same in every regiment'),
    });
    await post(readers.question, {
      stance: 'question',
      quote: quoting(soviets, 'the party followed them into October'),
    });
    await post(readers.evidence, { stance: 'evidence', quote: quoting(summer, 'By the summer the soviets held') });
    await post(readers.disagree, {
      stance: 'disagree',
      quote: quoting(doomed, 'the calendar reform of February 1918'),
    });
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the essay’s stance tally and each passage’s in the margin, and a new comment raises them live', async () => {
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${slug}`);
    await tally(page).first().waitFor();
    assert.deepEqual(await tally(page).allInnerTexts(), ['1 agree', '1 disagree', '1 question', '1 evidence']);
    const [workers, soviets, art] = blocks;
    assert.deepEqual(
      await marginStances(page, workers.id).evaluateAll((items) => items.map((i) => i.getAttribute('title'))),
      ['1 agree on this passage'],
    );
    assert.equal(await marginStances(page, soviets.id).getByText('1 question', { exact: true }).count(), 1);
    assert.equal(await marginStances(page, art.id).count(), 0, 'a passage nobody quotes has no tally');

    // An essay whose comments take no stance shows no tally: the heading, drawn with it, comes first.
    const quiet = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title: 'A quiet essay', author: 'A. Writer', body: 'Nobody takes a side here.' });
    assert.equal(quiet.status, 201, JSON.stringify(quiet.body));
    const plain = await t.http
      .post(`/api/articles/${quiet.body.slug as string}/comments`)
      .set('Authorization', bearer(readers.late.token))
      .send({ body: 'A comment without a stance.' });
    assert.equal(plain.status, 201, JSON.stringify(plain.body));
    const quietPage = await context.newPage();
    await quietPage.goto(`${t.baseUrl}/articles/${quiet.body.slug as string}`);
    await quietPage.getByRole('heading', { name: /^Discussion/ }).waitFor();
    assert.equal(await tally(quietPage).count(), 0, 'no row of zeros');
    await quietPage.close();

    await page.screenshot({ path: '/tmp/c16a-tally-1280.png' });

    await post(readers.late, { stance: 'agree', quote: quoting(workers, 'Workers elected delegates') });
    await tally(page).filter({ hasText: '2 agree' }).waitFor();
    await marginStances(page, workers.id).getByText('2 agree', { exact: true }).waitFor();
    assert.equal(await page.locator(`#block-${workers.id} .margin-count`).innerText(), '2');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: '/tmp/c16a-tally-390.png' });
    await page.locator('#discussion').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/c16a-toolbar-390.png' });
    await context.close();
  });

  it('filters the thread by stance with the server’s filter, and keeps the filter in the address', async () => {
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${slug}`);
    const comments = page.locator('ol.thread > li.comment');
    await waitForCount(comments, 5);
    const filter = page.getByRole('group', { name: 'Show comments by stance' });
    assert.equal(await filter.getByRole('button', { name: 'All' }).getAttribute('aria-pressed'), 'true');

    await filter.getByRole('button', { name: 'Question' }).click();
    await page.waitForURL(`**/articles/${slug}?stance=question`);
    await waitForCount(comments, 1);
    await commentArticle(page, readers.question.displayName).waitFor();
    await page.locator('#discussion').scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/c16a-filter-1280.png' });

    await page.reload();
    await waitForCount(comments, 1);
    assert.equal(await filter.getByRole('button', { name: 'Question' }).getAttribute('aria-pressed'), 'true');
    await commentArticle(page, readers.question.displayName).waitFor();

    await filter.getByRole('button', { name: 'Agree', exact: true }).click();
    await page.waitForURL(`**/articles/${slug}?stance=agree`);
    await waitForCount(comments, 2);

    await filter.getByRole('button', { name: 'All' }).click();
    await page.waitForURL(`**/articles/${slug}`);
    await waitForCount(comments, 5);
    await context.close();
  });

  it('labels the quotes a revision changed, moved or orphaned, on a follower’s page updated live', async () => {
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${slug}`);
    await waitForCount(page.locator('ol.thread > li.comment'), 5);

    const res = await t.http
      .patch(`/api/articles/${slug}`)
      .set('Authorization', bearer(admin.token))
      .send({ body: ESSAY_AFTER_REVISION });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const revised = res.body.blocks as Block[];

    const changed = commentArticle(page, readers.question.displayName);
    await changed.getByText('Passage revised').waitFor();
    assert.equal(await changed.locator('.anchor-changed blockquote').count(), 2);
    assert.deepEqual(await changed.locator('.anchor-changed blockquote').allInnerTexts(), [
      'the party followed them into October',
      'the party folowed them into October',
    ]);
    assert.equal(
      await changed.getByRole('link', { name: 'see it in the essay' }).getAttribute('href'),
      `/articles/${slug}#block-${blocks[1].id}`,
    );

    const orphaned = commentArticle(page, readers.disagree.displayName);
    await orphaned.getByText('This passage was removed or rewritten').waitFor();
    assert.equal(await orphaned.locator('.comment-quote p').innerText(), 'the calendar reform of February 1918');
    assert.deepEqual(
      await orphaned.locator('.comment-quote a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
      [`/articles/${slug}/revisions/1#block-${blocks[4].id}`],
      'no link to a passage that is gone: only to the essay as it read then',
    );

    // Moved: read like an exact quote, its link pointing at the block the words stand in now.
    const moved = commentArticle(page, readers.evidence.displayName);
    const link = moved.getByRole('link', { name: 'from the essay' });
    await page.locator(`#block-${revised[3].id}`).waitFor();
    assert.equal(await link.getAttribute('href'), `/articles/${slug}#block-${revised[3].id}`);
    assert.equal(await moved.getByText('no longer in the text').count(), 0);

    // The essay itself was read again: the margin tallies follow the quotes where they are anchored now.
    await marginStances(page, revised[3].id).getByText('1 evidence', { exact: true }).waitFor();
    assert.equal(await marginStances(page, blocks[3].id).count(), 0, 'the larger half of the split keeps no quote');

    await changed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/c16a-quotes-1280.png' });
    await page.setViewportSize({ width: 390, height: 844 });
    await changed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/c16a-quotes-390.png' });
    await orphaned.scrollIntoViewIfNeeded();
    await page.screenshot({ path: '/tmp/c16a-orphaned-390.png' });
    await context.close();
  });
});
