import assert from 'node:assert/strict';
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
import {
  browserSkipReason,
  commentArticle,
  newReader,
  openBrowser,
  openSignedIn,
  type TestBrowser,
} from './browser.js';

/**
 * "Discussion (n)" on an open page follows what its reader may see, as a reload would count it: a reader the visible
 * comments and their own held ones, a moderator the held and removed ones too. Every change is made elsewhere (over
 * HTTP) and each page is checked against its own reload at the end.
 */
describe('the discussion’s total, live', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let moderator: Account;
  let fx: Fixtures;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
    moderator = await withRole(t, (await signInAdmin(t)).token, 'moderator');
    fx = new Fixtures(t.app);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The readers' pages a test opened, handed on to the next test when it ends (see newReader). */
  const opened: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((context) => context.close()));
  });

  const as = (who: Account) => ({ Authorization: bearer(who.token) });
  const post = (who: Account, slug: string, body: string, parentId?: string): Promise<string> =>
    postComment(t, who, slug, body, parentId);
  const moderate = (id: string, action: 'approve' | 'remove' | 'restore') =>
    t.http.post(`/api/moderation/comments/${id}/${action}`).set(as(moderator)).send({}).expect(200);
  const premoderate = (article: ArticleFixture) =>
    t.http.patch(`/api/articles/${article.slug}/settings`).set(as(moderator)).send({ premoderation: true }).expect(200);

  /** The article's page, as `who` (or anonymous), once it follows the article live. */
  async function open(article: ArticleFixture, who?: Account, query = ''): Promise<Page> {
    const { context, page } = await newReader(browser);
    opened.push(context);
    const url = `${t.baseUrl}/articles/${article.slug}${query}`;
    if (who) await openSignedIn(page, who, url);
    else await page.goto(url);
    await page.getByText(/^\d+ following$/).waitFor();
    return page;
  }

  const heading = (page: Page) => page.getByRole('heading', { name: /^Discussion/ });
  const total = async (page: Page) => (await heading(page).innerText()).trim();
  const expectTotal = (page: Page, n: number) => heading(page).getByText(`(${n})`, { exact: true }).waitFor();

  /**
   * Waits until every page has applied a vote on `barrier` made after the change under test: room events arrive in
   * order, so each page has then taken in the change too, and its total is what it will stay.
   */
  let votes = 0;
  async function barrier(pages: Page[], barrierId: string, author: string): Promise<void> {
    const voter = await newUser(t, uniqueName('voter'));
    await t.http.put(`/api/comments/${barrierId}/vote`).set(as(voter)).send({ value: 1 }).expect(200);
    votes += 1;
    await Promise.all(
      pages.map((page) => commentArticle(page, author).locator(`.score[title="${votes} up, 0 down"]`).waitFor()),
    );
  }

  /**
   * The article open for an anonymous reader, for `alice` and for the moderator, and `expect`, which checks the three
   * totals once every page has taken in what happened before it (see barrier).
   */
  async function threeReaders(article: ArticleFixture, alice: Account, barrierId: string) {
    const [reader, author, mod] = [await open(article), await open(article, alice), await open(article, moderator)];
    const expect = async (r: number, a: number, m: number) => {
      await barrier([reader, author, mod], barrierId, 'Bea Barrier');
      assert.deepEqual(
        [await total(reader), await total(author), await total(mod)],
        [`Discussion (${r})`, `Discussion (${a})`, `Discussion (${m})`],
      );
    };
    return { reader, author, mod, pages: [reader, author, mod], expect };
  }

  /** Each page's total as it stands, then after a reload (what the server counts for its reader). */
  async function expectReloadsAgree(pages: Page[]): Promise<void> {
    for (const page of pages) {
      const live = await total(page);
      await page.reload();
      await heading(page)
        .getByText(/^\(\d+\)$/)
        .waitFor();
      assert.equal(await total(page), live, 'the live total is the one a reload shows');
    }
  }

  it('follows removals, restorations, deletions, holds and approvals for a reader, an author and a moderator', async () => {
    votes = 0;
    const article = await fx.newArticle();
    const barrierAuthor = await newUser(t, uniqueName('barrier'), { displayName: 'Bea Barrier' });
    const alice = await newUser(t, uniqueName('alice'), { displayName: 'Alice Author' });
    const barrierId = await post(barrierAuthor, article.slug, 'A comment that readers vote on.');
    const visible = await post(alice, article.slug, 'A comment that comes and goes.');

    const { author, mod, pages, expect } = await threeReaders(article, alice, barrierId);
    await expect(2, 2, 2);

    // Removed: out of readers' totals, still in a moderator's.
    await moderate(visible, 'remove');
    await expect(1, 1, 2);
    await moderate(visible, 'restore');
    await expect(2, 2, 2);
    // Deleted by its author: out of everyone's.
    await t.http.delete(`/api/comments/${visible}`).set(as(alice)).expect(204);
    await expect(1, 1, 1);

    // Held: its author and the moderator count it at once (the events that tell them are not numbered: no barrier).
    await premoderate(article);
    const held = await post(alice, article.slug, 'A comment that waits for a moderator.');
    await Promise.all([expectTotal(author, 2), expectTotal(mod, 2)]);
    await expect(1, 2, 2);
    // Approved: new to readers only.
    await moderate(held, 'approve');
    await expect(2, 2, 2);

    // Held, then removed before anyone read it: its author stops counting it; readers never did.
    const refused = await post(alice, article.slug, 'A comment the moderator turns down.');
    await Promise.all([expectTotal(author, 3), expectTotal(mod, 3)]);
    await moderate(refused, 'remove');
    await expectTotal(author, 2); // told by the notification of the removal
    await expect(2, 2, 3);

    await expectReloadsAgree(pages);
  });

  it('counts a held comment the moderator’s page never loaded once, when it is approved elsewhere', async () => {
    votes = 0;
    const article = await fx.newArticle();
    const bea = await newUser(t, uniqueName('barrier'), { displayName: 'Bea Barrier' });
    const barrierId = await post(bea, article.slug, 'A comment that readers vote on.');
    // A held reply below the levels a thread page includes (behind "Continue this thread")...
    let parent = await fx.newComment({ article });
    for (let depth = 1; depth <= 4; depth++) parent = await fx.newComment({ article, parent });
    const deep = await fx.newComment({ article, parent, status: 'pending' });
    // ... and a held top-level comment on the second page of the oldest-first thread.
    const someone = await fx.newUser();
    await fx.postComments(
      article,
      someone.id,
      Array.from({ length: 20 }, (_, i) => `Comment number ${i + 1}.`),
    );
    const later = await fx.newComment({ article, status: 'pending' });

    const [reader, mod] = [await open(article, undefined, '?sort=old'), await open(article, moderator, '?sort=old')];
    const pages = [reader, mod];
    await barrier(pages, barrierId, 'Bea Barrier');
    // Bea's, the five of the branch and the twenty: readers see 26; a moderator the two held ones too.
    assert.deepEqual([await total(reader), await total(mod)], ['Discussion (26)', 'Discussion (28)']);
    assert.equal(await mod.getByText('Comment number 20.').count(), 0, 'the second page is not loaded');

    await moderate(deep.id, 'approve');
    await moderate(later.id, 'approve');
    await barrier(pages, barrierId, 'Bea Barrier');
    assert.deepEqual([await total(reader), await total(mod)], ['Discussion (28)', 'Discussion (28)']);
    await expectReloadsAgree(pages);
  });

  it('follows the author’s own edit sent back to review and their held comment withdrawn, made on their page', async () => {
    votes = 0;
    const article = await fx.newArticle();
    const bea = await newUser(t, uniqueName('barrier'), { displayName: 'Bea Barrier' });
    const alice = await newUser(t, uniqueName('alice'), { displayName: 'Alice Author' });
    const barrierId = await post(bea, article.slug, 'A comment that readers vote on.');
    const edited = await post(alice, article.slug, 'Written before the essay was premoderated.');
    await premoderate(article);

    const { author, mod, pages, expect } = await threeReaders(article, alice, barrierId);
    author.on('dialog', (dialog) => void dialog.accept());
    await expect(2, 2, 2);

    // Edited under premoderation, it waits for a moderator again: readers lose it, its author and moderators still
    // count it.
    const mine = author.locator(`#comment-${edited} > article`);
    await mine.getByRole('button', { name: 'Edit', exact: true }).click();
    await mine.getByLabel('Edit your comment').fill('Written before, and edited since.');
    await mine.getByRole('button', { name: 'Save', exact: true }).click();
    await mine.getByText('awaiting moderation').waitFor();
    await expect(1, 2, 2);

    // Held, then withdrawn by its author: no reader was ever told of it; moderators are told it left the queue.
    const held = await post(alice, article.slug, 'A second thought, soon withdrawn.');
    await Promise.all([expectTotal(author, 3), expectTotal(mod, 3)]);
    await author.locator(`#comment-${held} > article`).getByRole('button', { name: 'Delete', exact: true }).click();
    await Promise.all([expectTotal(author, 2), expectTotal(mod, 2)]);
    await expect(1, 2, 2);
    await expectReloadsAgree(pages);
  });
});
