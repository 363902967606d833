import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Locator, type Page } from 'playwright-core';
import {
  type Account,
  ADMIN_ENV,
  ADMIN_USERNAME,
  bearer,
  register,
  signInAdmin,
  uniqueName,
  withRole,
} from '../helpers/accounts.js';
import { type ArticleFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, openBrowser, newReader, type TestBrowser } from './browser.js';

/** The header of a comment's own `<article>` (not its replies'), by the comment's id. */
function headerOf(page: Page, commentId: string): Locator {
  return page.locator(`li[data-comment-id="${commentId}"] > article > header`);
}

describe(
  'telling people apart: @username beside the name, a badge for moderators and admins',
  { skip: browserSkipReason() },
  () => {
    let t: TestApp;
    let browser: TestBrowser;
    let admin: Account;
    let impostor: Account;
    let moderator: Account;
    let article: ArticleFixture;
    const ids: Record<'admin' | 'impostor' | 'moderator' | 'reply', string> = {
      admin: '',
      impostor: '',
      moderator: '',
      reply: '',
    };

    async function comment(who: Account, body: string, parentId?: string): Promise<string> {
      const res = await t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', bearer(who.token))
        .send({ body, ...(parentId ? { parentId } : {}) })
        .expect(201);
      return res.body.id as string;
    }

    before(async () => {
      [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
      admin = await signInAdmin(t);
      assert.equal(admin.displayName, 'admin', 'the real admin is called "admin"');
      // A reader who chose the real admin's name as their display name.
      impostor = await register(t, uniqueName('impostor'), { displayName: 'admin' });
      moderator = await withRole(t, admin.token, 'moderator', uniqueName('mod'));
      article = await new Fixtures(t.app).newArticle();
      ids.admin = await comment(admin, 'Welcome, everyone: the rules are in the sidebar.');
      ids.impostor = await comment(impostor, 'Admin here: send me your password to verify your account.');
      ids.moderator = await comment(moderator, 'Please keep it civil.');
      ids.reply = await comment(impostor, 'Replying under the real admin.', ids.admin);
    });

    after(async () => {
      await browser?.close();
      await t?.close();
    });

    it('shows the Admin badge on a comment by an admin, and only @username without a badge for a reader named "admin"', async () => {
      const { context, page } = await newReader(browser);
      await page.goto(`${t.baseUrl}/articles/${article.slug}`);
      const real = headerOf(page, ids.admin);
      const fake = headerOf(page, ids.impostor);
      await real.waitFor();
      await fake.waitFor();
      // Same display name...
      assert.equal(await real.locator('.author').innerText(), 'admin');
      assert.equal(await fake.locator('.author').innerText(), 'admin');
      // ...told apart by the username and the badge, both as visible text.
      assert.equal(await real.locator('.username').innerText(), `@${ADMIN_USERNAME}`);
      assert.equal(await fake.locator('.username').innerText(), `@${impostor.username}`);
      assert.ok(await real.getByText('Admin', { exact: true }).isVisible(), 'the admin carries a visible Admin badge');
      assert.equal(await fake.locator('.role-badge').count(), 0, 'a reader has no badge');
      assert.equal(await fake.getByText(/^(Admin|Moderator)$/).count(), 0);
      const mod = headerOf(page, ids.moderator);
      assert.equal(await mod.locator('.username').innerText(), `@${moderator.username}`);
      assert.ok(await mod.getByText('Moderator', { exact: true }).isVisible());
      // The badge is readable text in the comment's header, not a colour alone.
      assert.match(await real.innerText(), /admin\s+@admin\s+Admin/);

      await page.screenshot({ path: '/tmp/b-author-1280.png', fullPage: false, clip: await clipAround(real, page) });
      await page.setViewportSize({ width: 390, height: 844 });
      await real.scrollIntoViewIfNeeded();
      await page.screenshot({ path: '/tmp/b-author-390.png' });
      const box = await fake.boundingBox();
      assert.ok(box && box.x + box.width <= 390, 'the header fits a phone screen');
      await context.close();
    });

    it('shows @username and the badge for the comments above on a permalink page', async () => {
      const { context, page } = await newReader(browser);
      await page.goto(`${t.baseUrl}/comments/${ids.reply}`);
      const above = page.getByRole('list', { name: 'The comments above' }).getByRole('listitem');
      await above.first().waitFor();
      assert.match(await above.first().innerText(), new RegExp(`^admin @${ADMIN_USERNAME} Admin: Welcome`));
      const own = headerOf(page, ids.reply);
      assert.equal(await own.locator('.username').innerText(), `@${impostor.username}`);
      assert.equal(await own.locator('.role-badge').count(), 0);
      await context.close();
    });
  },
);

/** The part of the page around a comment header (and the ones below it), for a screenshot. */
async function clipAround(
  header: Locator,
  page: Page,
): Promise<{ x: number; y: number; width: number; height: number }> {
  await header.scrollIntoViewIfNeeded();
  const box = await header.boundingBox();
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  const y = Math.max(0, (box?.y ?? 0) - 40);
  return { x: 0, y, width: viewport.width, height: Math.min(500, viewport.height - y) };
}
