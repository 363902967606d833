import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Account, bearer, newUser } from '../helpers/accounts.js';
import { type ArticleFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, commentArticle, openBrowser, newReader, type TestBrowser, TIMEOUT } from './browser.js';

describe('profiles and search in the browser', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let fx: Fixtures;
  let article: ArticleFixture;

  async function comment(who: Account, body: string): Promise<string> {
    const res = await t.http
      .post(`/api/articles/${article.slug}/comments`)
      .set('Authorization', bearer(who.token))
      .send({ body })
      .expect(201);
    return res.body.id as string;
  }

  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
    fx = new Fixtures(t.app);
    article = await fx.newArticle();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens an author’s profile from their name in the thread, with their comments and the way back to each', async () => {
    const author = await newUser(t, undefined, { displayName: 'Rosa Profile' });
    const first = await comment(author, 'My first thought on this essay.');
    await comment(author, 'And a second one, later.');
    const { context, page } = await newReader(browser);
    try {
      await page.goto(`${t.baseUrl}/articles/${article.slug}`);
      await commentArticle(page, 'Rosa Profile')
        .first()
        .getByRole('link', { name: 'Rosa Profile', exact: true })
        .click();
      await page.waitForURL(`**/users/${author.username}`);
      await page.getByRole('heading', { name: 'Rosa Profile', level: 1 }).waitFor();
      await page.getByText('2 comments').waitFor();
      const items = page.locator('.profile-comment');
      // The count in the heading can come before the list: the list is waited for, then counted.
      await items.nth(1).waitFor();
      assert.equal(await items.count(), 2);
      assert.match(await items.nth(0).innerText(), /And a second one, later\./);
      assert.match(await items.nth(1).innerText(), /My first thought on this essay\./);
      await items.nth(1).getByRole('link', { name: 'Open the comment in its thread' }).click();
      await page.waitForURL(`**/comments/${first}`);
    } finally {
      await context.close();
    }
  });

  it('searches from the header and shows highlighted snippets, a page at a time, whose links lead to the comments', async () => {
    const writer = await newUser(t);
    const word = 'quixotically';
    for (let i = 0; i < 22; i++) await fx.newComment({ article, authorId: writer.id, body: `Filler ${i} ${word}.` });
    const best = await comment(writer, `${word} ${word} ${word}: said <b>thrice</b>.`);
    const { context, page } = await newReader(browser);
    try {
      await page.goto(`${t.baseUrl}/`);
      await page.getByRole('search').first().getByLabel('Search essays and comments').fill(word);
      await page.getByRole('search').first().getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(`**/search?q=${word}`);
      await page.getByRole('heading', { name: `Results for “${word}”` }).waitFor();
      const results = page.locator('.search-result');
      await results.first().waitFor();
      assert.equal(await results.count(), 20);
      const top = results.first();
      assert.equal(await top.locator('mark').first().innerText(), word);
      // What the comment wrote as html never becomes markup in the snippet.
      const snippet = await top.locator('.snippet').textContent();
      assert.match(snippet ?? '', /said\s+thrice/, `snippet: ${snippet}`);
      assert.equal(await top.locator('.snippet b').count(), 0);
      await page.getByRole('button', { name: 'More results' }).click();
      await results.nth(22).waitFor();
      assert.equal(await page.getByRole('button', { name: 'More results' }).count(), 0);
      await top.getByRole('link', { name: 'Open the comment in its thread' }).click();
      await page.waitForURL(`**/comments/${best}`);
    } finally {
      await context.close();
    }
  });

  it('lists results flush with the heading, unnumbered, their snippets whole sentences and within a phone’s width', async () => {
    const word = `beacon${Date.now().toString(36)}`;
    const long = `${word}${'x'.repeat(90)}`;
    const writer = await newUser(t, undefined, { displayName: 'Bea Beacon' });
    await comment(writer, `Is the ${word} lit?`);
    await comment(writer, `The ${word} has a name: ${long}.`);
    for (const [width, colorScheme] of [
      [1280, 'light'],
      [390, 'dark'],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height: 844 }, colorScheme });
      try {
        const page = await context.newPage();
        page.setDefaultTimeout(TIMEOUT);
        await page.goto(`${t.baseUrl}/search?q=${word}`);
        const results = page.getByRole('list', { name: 'Results' });
        const items = results.getByRole('listitem');
        await items.nth(1).waitFor();
        await page.getByText(`Is the ${word} lit?`, { exact: true }).waitFor();
        const style = await page.evaluate<{ marker: string; left: number; heading: number; overflow: number }>(`(() => {
          const list = document.querySelector('.search-results');
          return {
            marker: getComputedStyle(list).listStyleType,
            left: list.getBoundingClientRect().left,
            heading: document.querySelector('#search-title').getBoundingClientRect().left,
            overflow: document.documentElement.scrollWidth - window.innerWidth,
          };
        })()`);
        assert.equal(style.marker, 'none', `no numbers before the results (${width} px)`);
        assert.equal(style.left, style.heading, `the results start where the heading does (${width} px)`);
        assert.ok(
          style.overflow <= 0,
          `a long word does not widen the page (${style.overflow} px more at ${width} px)`,
        );
      } finally {
        await context.close();
      }
    }
  });
});
