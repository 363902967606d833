import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Page } from 'playwright-core';
import { type Account, ADMIN_ENV, bearer, newUser, signInAdmin, uniqueName, withRole } from '../helpers/accounts.js';
import { Fixtures } from '../helpers/fixtures.js';
import { untilJobsDone } from '../helpers/jobs.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, newReader, openBrowser, type TestBrowser } from './browser.js';

/** Where one of the header's items is, and whether its text holds on one line. */
interface ItemBox {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
  oneLine: boolean;
}

/** Run in the page (a string: this file is compiled without the DOM's types), it measures the header's items. */
const ITEM_BOXES = `[...document.querySelectorAll('.site-header .brand, .site-header nav.account > *')].map((element) => {
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  const lineHeight = style.lineHeight === 'normal' ? parseFloat(style.fontSize) * 1.25 : parseFloat(style.lineHeight);
  const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
  return {
    text: (element.textContent ?? '').trim(),
    left: box.left,
    right: box.right,
    top: box.top,
    bottom: box.bottom,
    oneLine: box.height - padding < lineHeight * 1.5,
  };
})`;

/** A display name as long as the forum takes (64 characters), with no space to break at. */
const LONG_NAME = 'Maximiliana-Wilhelmina-Fitzgerald-Montgomery-Abernathy-Ravensbur';

/**
 * The site header on a desktop and on phones: signed out, and signed in with the bell counting and the longest display
 * name, as a reader and as a moderator (one more link). Nothing wraps inside an item, nothing leaves the screen, and
 * the account's items stay on one line together. Screenshots go to /tmp/header-<who>-<width>.png.
 */
describe('the site header at every width', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let reader: Account;
  let moderator: Account;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
    const admin = await signInAdmin(t);
    reader = await newUser(t, uniqueName('longname'), { displayName: LONG_NAME });
    moderator = await withRole(t, admin.token, 'moderator');
    await t.dataSource.query('UPDATE users SET display_name = $1 WHERE id = $2', [LONG_NAME, moderator.id]);
    // Three replies to each of them: the bell shows a count.
    const article = await new Fixtures(t.app).newArticle();
    const replier = await newUser(t);
    for (const account of [reader, moderator]) {
      const own = await t.http
        .post(`/api/articles/${article.slug}/comments`)
        .set('Authorization', bearer(account.token))
        .send({ body: 'Something to answer.' })
        .expect(201);
      for (let i = 0; i < 3; i++)
        await t.http
          .post(`/api/articles/${article.slug}/comments`)
          .set('Authorization', bearer(replier.token))
          .send({ body: `Answer ${i}`, parentId: own.body.id })
          .expect(201);
    }
    await untilJobsDone(t.dataSource);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** The brand and every item of the account navigation, where they are on the page. */
  function itemBoxes(page: Page): Promise<ItemBox[]> {
    return page.evaluate<ItemBox[]>(ITEM_BOXES);
  }

  for (const who of ['nobody', 'reader', 'moderator'] as const) {
    it(`keeps every item whole and on the screen, signed ${who === 'nobody' ? 'out' : `in as a ${who}`}`, async () => {
      const { context, page } = await newReader(browser);
      await page.setViewportSize({ width: 1280, height: 800 });
      const account = who === 'reader' ? reader : who === 'moderator' ? moderator : null;
      if (account) await context.addCookies([{ name: 'forum_session', value: account.token, url: t.baseUrl }]);
      await page.goto(`${t.baseUrl}/`);
      const nav = page.getByRole('navigation', { name: 'Account' });
      if (account) {
        await nav.getByRole('link', { name: 'Notifications, 3 unread', exact: true }).waitFor();
        await nav.getByRole('link', { name: LONG_NAME }).waitFor();
      } else {
        await nav.getByRole('button', { name: 'Sign up' }).waitFor();
      }
      const expected = account
        ? [...(who === 'moderator' ? ['Moderation'] : []), '3', `Signed in as ${LONG_NAME}`, 'Sign out']
        : ['Sign in', 'Sign up'];
      for (const width of [1280, 390, 320]) {
        await page.setViewportSize({ width, height: 800 });
        const where = `${who} at ${width} px`;
        const boxes = await itemBoxes(page);
        assert.deepEqual(
          boxes.map((b) => b.text),
          ['Essay forum', ...expected],
          where,
        );
        for (const box of boxes) {
          assert.ok(box.oneLine, `${where}: "${box.text}" holds on one line`);
          assert.ok(
            box.left >= 0 && box.right <= width,
            `${where}: "${box.text}" (${box.left}-${box.right}) is on the screen`,
          );
        }
        const navItems = boxes.slice(1);
        const middles = navItems.map((b) => (b.top + b.bottom) / 2);
        assert.ok(Math.max(...middles) - Math.min(...middles) < 8, `${where}: the account’s items share one line`);
        for (let i = 1; i < navItems.length; i++)
          assert.ok(navItems[i].left >= navItems[i - 1].right, `${where}: "${navItems[i].text}" follows, not under`);
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        assert.ok(overflow <= 0, `${where}: the page does not scroll sideways (${overflow} px)`);
        await page.screenshot({ path: `/tmp/header-${who}-${width}.png`, clip: { x: 0, y: 0, width, height: 160 } });
      }
      if (account) {
        // Cut short on screen, the name is whole for a screen reader and on hover.
        const name = nav.getByRole('link', { name: LONG_NAME, exact: true });
        assert.equal(await name.getAttribute('title'), LONG_NAME);
      }
      await context.close();
    });
  }
});
