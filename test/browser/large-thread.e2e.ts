import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Locator, type Page } from 'playwright-core';
import { generateLargeThread, type LargeThreadResult } from '../../seeds/large-thread.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, openBrowser, newReader, TIMEOUT, type TestBrowser } from './browser.js';

const COMMENTS = 10_000;
/** The client's page: top-level comments per page and levels of replies under them (ArticleView, THREAD_DEPTH). */
const PAGE = 20;
const DEPTH = 4;
/** Far below the thread's size: what one page of it may put in the DOM at most. */
const MOST_SHOWN = 500;

interface ApiNode {
  id: string;
  replies: ApiNode[];
  moreReplies: number;
}

function countNodes(nodes: ApiNode[]): number {
  return nodes.reduce((sum, node) => sum + 1 + countNodes(node.replies), 0);
}

/** N of a "Load N more replies" button. */
function remainingIn(label: string): number {
  const match = /^Load (\d+) more repl(y|ies)$/.exec(label);
  assert.ok(match, `a "Load more replies" button: ${label}`);
  return Number(match[1]);
}

/** Waits until `read` gives a value that `ok` accepts, and returns it. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the 10,000-comment thread in the web client', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let thread: LargeThreadResult;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
    thread = await generateLargeThread(t.app, { comments: COMMENTS, seed: 1, progress: false });
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The reading view's thread: `Comments` and its top-level items. */
  const list = (page: Page) => page.getByRole('list', { name: 'Comments', exact: true });
  const topLevel = (page: Page) => list(page).locator(':scope > li');
  const shownComments = (page: Page) => list(page).getByRole('article');
  /** A comment's direct replies, from its `<li>`. */
  const directReplies = (item: Locator) => item.locator(':scope > ol.replies > li');

  it('opens on one page of the thread, pages on, and continues a deep thread on a page of its own', async () => {
    const first = (await t.http.get(`/api/articles/${thread.slug}/comments?limit=${PAGE}&depth=${DEPTH}`).expect(200))
      .body;
    assert.ok(first.total > COMMENTS * 0.9, `the reader sees most of the thread (${first.total})`);

    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${thread.slug}`);
    await page.getByRole('heading', { name: `Discussion (${first.total})` }).waitFor();
    await until(
      () => topLevel(page).count(),
      (n) => n === PAGE,
      'top-level comments on the first page',
    );

    // One page, as the server gives it: nowhere near the whole thread.
    const firstPage = countNodes(first.items);
    assert.ok(firstPage <= MOST_SHOWN, `${firstPage} comments on the first page`);
    assert.equal(await shownComments(page).count(), firstPage);
    assert.equal(await topLevel(page).first().getAttribute('data-comment-id'), first.items[0].id);

    // The next page of top-level comments comes below, once.
    await page.getByRole('button', { name: 'More comments', exact: true }).click();
    await until(
      () => topLevel(page).count(),
      (n) => n === 2 * PAGE,
      'top-level comments after "More comments"',
    );
    const second = (
      await t.http
        .get(`/api/articles/${thread.slug}/comments?limit=${PAGE}&depth=${DEPTH}&cursor=${first.nextCursor}`)
        .expect(200)
    ).body;
    assert.equal(await topLevel(page).nth(PAGE).getAttribute('data-comment-id'), second.items[0].id);
    assert.equal(await shownComments(page).count(), firstPage + countNodes(second.items));
    assert.ok((await shownComments(page).count()) <= 2 * MOST_SHOWN, 'two pages, not the thread');

    // "Continue this thread" where the page stops nesting: the comment on a page of its own, with its replies.
    const continued = list(page)
      .getByRole('link', { name: /^Continue this thread \(\d+ repl(y|ies)\)/ })
      .first();
    const href = await continued.getAttribute('href');
    assert.ok(href);
    assert.match(href, /^\/comments\/\d+$/);
    const id = href.slice('/comments/'.length);
    const permalink = (await t.http.get(`/api/comments/${id}?depth=${DEPTH}`).expect(200)).body;
    await continued.click();
    await page.waitForURL(`**/comments/${id}`);
    const focused = page.getByRole('list', { name: 'Comment', exact: true });
    await focused.locator(`li.comment[data-comment-id="${id}"]`).waitFor();
    await until(
      () => focused.getByRole('article').count(),
      (n) => n === countNodes([permalink.comment]),
      'comments on the permalink page',
    );
    assert.ok(permalink.comment.replies.length > 0);
    assert.equal(
      await page.getByRole('list', { name: 'The comments above' }).getByRole('listitem').count(),
      permalink.ancestors.length,
    );
    await context.close();
  });

  it('stays responsive: a sort change renders, and "Load more replies" brings in all of a wide comment’s replies', async () => {
    const oldest = (
      await t.http.get(`/api/articles/${thread.slug}/comments?sort=old&limit=${PAGE}&depth=${DEPTH}`).expect(200)
    ).body;
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/articles/${thread.slug}`);
    await until(
      () => topLevel(page).count(),
      (n) => n === PAGE,
      'top-level comments on the first page',
    );
    assert.notEqual(await topLevel(page).first().getAttribute('data-comment-id'), oldest.items[0].id);

    const sorts = page.getByRole('group', { name: 'Sort comments' });
    await sorts.getByRole('button', { name: 'Oldest' }).click();
    await until(
      () => topLevel(page).first().getAttribute('data-comment-id'),
      (first) => first === oldest.items[0].id,
      'the oldest comment on top',
    );
    assert.equal(await sorts.getByRole('button', { name: 'Oldest' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await sorts.getByRole('button', { name: 'Best' }).getAttribute('aria-pressed'), 'false');
    assert.equal(await topLevel(page).count(), PAGE);
    assert.equal(await shownComments(page).count(), countNodes(oldest.items));

    // The thread's widest comment (the oldest, in this seed's thread): ten replies shown, the rest behind a button.
    const wide = topLevel(page).first();
    const { replyCount } = oldest.items[0];
    assert.ok(replyCount > 20, `the oldest comment has many replies (${replyCount})`);
    const loadMore = wide.locator(':scope > button');
    let shown = await directReplies(wide).count();
    assert.equal(await loadMore.innerText(), `Load ${replyCount - shown} more replies`);
    while ((await loadMore.count()) > 0) {
      const before = shown;
      const waiting = remainingIn(await loadMore.innerText());
      await loadMore.click();
      shown = await until(
        () => directReplies(wide).count(),
        (n) => n > before,
        'replies after "Load more replies"',
      );
      const left = (await loadMore.count()) === 0 ? 0 : remainingIn(await loadMore.innerText());
      assert.equal(shown + left, before + waiting, 'every reply is shown or counted on the button');
    }
    const ids = await directReplies(wide).evaluateAll((items) => items.map((li) => li.getAttribute('data-comment-id')));
    assert.equal(ids.length, replyCount);
    assert.equal(new Set(ids).size, replyCount, 'no reply shown twice');
    await context.close();
  });
});
