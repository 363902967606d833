import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Account, bearer, register, uniqueName } from '../helpers/accounts.js';
import { type ArticleFixture, type CommentFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, newReader, openBrowser, type TestBrowser } from './browser.js';

/** The ancestors a permalink answer carries at most (README, "Threads"). */
const MAX_ANCESTORS = 20;
/** The deepest a comment may sit: a top-level comment is at depth 0. */
const MAX_DEPTH = 200;

describe(
  'a deep thread in the browser: climbing from the deepest permalink to the top',
  { skip: browserSkipReason() },
  () => {
    let t: TestApp;
    let browser: TestBrowser;
    let article: ArticleFixture;
    let writer: Account;
    /** chain[d] is the id of the comment at depth d. */
    const chain: string[] = [];
    /** More than two answers' worth of ancestors: the deepest comment needs two "earlier comments" links to reach the top. */
    const DEPTH = 2 * (MAX_ANCESTORS + 1) + 3;

    before(async () => {
      [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
      article = await new Fixtures(t.app).newArticle();
      writer = await register(t, uniqueName('deep'), { displayName: 'Dee Per' });
      for (let d = 0; d < DEPTH; d++) {
        const res = await t.http
          .post(`/api/articles/${article.slug}/comments`)
          .set('Authorization', bearer(writer.token))
          .send({ body: `Level ${d} of the chain.`, ...(d > 0 ? { parentId: chain[d - 1] } : {}) })
          .expect(201);
        chain.push(res.body.id as string);
      }
    });

    after(async () => {
      await browser?.close();
      await t?.close();
    });

    for (const [width, height, name] of [
      [1280, 900, 'desktop'],
      [390, 844, 'phone'],
    ] as const) {
      it(`shows "N earlier comments" above the nearest ancestors and follows such links to the top-level comment (${name})`, async () => {
        const { context, page } = await newReader(browser);
        await page.setViewportSize({ width, height });
        const ancestors = page.getByRole('list', { name: 'The comments above' });
        const shown = page.getByRole('list', { name: 'Comment', exact: true });

        const deepest = DEPTH - 1;
        await page.goto(`${t.baseUrl}/comments/${chain[deepest]}`);
        await shown.getByText(`Level ${deepest} of the chain.`).waitFor();
        // The nearest 20 ancestors, and above them the count of the ones left out, linking up.
        await ancestors.getByText(`Level ${deepest - MAX_ANCESTORS} of the chain.`).waitFor();
        assert.equal(await ancestors.getByText(`Level ${deepest - MAX_ANCESTORS - 1} of the chain.`).count(), 0);
        const left = deepest - MAX_ANCESTORS;
        let earlier = ancestors.getByRole('link', { name: `${left} earlier comments` });
        await earlier.waitFor();
        assert.equal(
          await ancestors
            .getByRole('listitem')
            .first()
            .innerText()
            .then((s) => s.trim()),
          `↑ ${left} earlier comments`,
          'the line sits above the first shown ancestor',
        );
        await page.screenshot({ path: `/tmp/i-deep-${name}.png`, fullPage: false });

        // Follow such links until none is left: each lands on a comment higher up, and the last shows the top.
        let hops = 0;
        let top = deepest;
        while ((await ancestors.getByRole('listitem').first().getAttribute('class')) === 'earlier') {
          top = top - MAX_ANCESTORS - 1;
          await earlier.click();
          await page.waitForURL(`**/comments/${chain[top]}`);
          await shown.getByText(`Level ${top} of the chain.`).waitFor();
          hops++;
          assert.ok(hops <= 3, 'the climb ends');
          if (top > MAX_ANCESTORS) {
            earlier = ancestors.getByRole('link', { name: `${top - MAX_ANCESTORS} earlier comment` });
            await earlier.waitFor();
          } else {
            await ancestors.getByText('Level 0 of the chain.').waitFor();
          }
        }
        assert.equal(hops, 2, 'two links up from the deepest comment');
        assert.equal(await ancestors.getByText(/earlier comment/).count(), 0, 'no more earlier comments near the top');
        await page.screenshot({ path: `/tmp/i-deep-top-${name}.png`, fullPage: false });

        // The first ancestor is the top-level comment: its permalink has nothing above it.
        await ancestors.getByRole('listitem').first().getByRole('link').click();
        await page.waitForURL(`**/comments/${chain[0]}`);
        await shown.getByText('Level 0 of the chain.').waitFor();
        await ancestors.waitFor({ state: 'detached' });
        await context.close();
      });
    }

    it('shows the server’s message and keeps the draft when a reply would go past the depth cap', async () => {
      const fx = new Fixtures(t.app);
      const deep = await fx.newArticle();
      const author = await fx.newUser();
      const cap: CommentFixture[] = [];
      for (let d = 0; d <= MAX_DEPTH; d++)
        cap.push(await fx.newComment({ article: deep, parent: cap[d - 1], authorId: author.id }));
      const { context, page } = await newReader(browser);
      await context.addCookies([{ name: 'forum_session', value: writer.token, url: t.baseUrl }]);
      await page.goto(`${t.baseUrl}/comments/${cap[MAX_DEPTH].id}`);
      await page.getByText('Signed in as').waitFor();
      const item = page.locator(`li[data-comment-id="${cap[MAX_DEPTH].id}"]`);
      await item.locator(':scope > article > footer').getByRole('button', { name: 'Reply', exact: true }).click();
      const box = item.locator('form.reply-box');
      await box.locator('textarea').fill('One level too many.');
      await box.getByRole('button', { name: 'Post reply' }).click();
      const alert = box.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.innerText(), /200/, 'the server’s own words, naming the cap');
      assert.equal(await box.locator('textarea').inputValue(), 'One level too many.', 'the draft stays');
      await context.close();
    });
  },
);
