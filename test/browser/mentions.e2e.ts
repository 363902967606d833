import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newUser } from '../helpers/accounts.js';
import { type ArticleFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, newReader, openBrowser, type TestBrowser } from './browser.js';

/**
 * `@` autocomplete in the comment composer: the names listed under the box as one types, picked with the keyboard
 * (arrows, Enter, Tab), closed with Escape, or picked with a click; the posted comment links them.
 */
describe('@ autocomplete in the composer', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let article: ArticleFixture;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
    article = await new Fixtures(t.app).newArticle();
    await newUser(t, 'ada_lovelace', { displayName: 'Ada Lovelace' });
    await newUser(t, 'adam_smith', { displayName: 'Adam Smith' });
    await newUser(t, 'adrian', { displayName: 'Adrian' });
    await newUser(t, 'bea', { displayName: 'Bea' });
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const width of [1280, 390]) {
    it(`lists, picks and links the names at ${width} px, with the keyboard or a click`, async () => {
      const writer = await newUser(t);
      const { context, page } = await newReader(browser);
      await page.setViewportSize({ width, height: 900 });
      await context.addCookies([{ name: 'forum_session', value: writer.token, url: t.baseUrl }]);
      await page.goto(`${t.baseUrl}/articles/${article.slug}`);
      const box = page.getByLabel('Your comment on the essay');
      const list = page.getByRole('listbox', { name: 'People to mention' });
      const options = list.getByRole('option');

      await box.click();
      await page.keyboard.type('Thanks @a');
      await page.keyboard.type('d');
      await options.nth(2).waitFor();
      assert.deepEqual(await options.allInnerTexts(), [
        'Ada Lovelace @ada_lovelace',
        'Adam Smith @adam_smith',
        'Adrian @adrian',
      ]);
      assert.equal(await box.getAttribute('aria-controls'), await list.getAttribute('id'));
      assert.equal(await options.nth(0).getAttribute('aria-selected'), 'true');
      await page.screenshot({ path: `/tmp/mentions-${width}.png` });

      // Down to the second, Enter puts it in: the list closes, the caret after the name and a space.
      await page.keyboard.press('ArrowDown');
      assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
      assert.equal(await box.getAttribute('aria-activedescendant'), await options.nth(1).getAttribute('id'));
      await page.keyboard.press('Enter');
      await list.waitFor({ state: 'detached' });
      assert.equal(await box.inputValue(), 'Thanks @adam_smith ');

      // Escape closes the list and leaves the text; typing on opens it again, and Tab picks.
      await page.keyboard.type('and @ad');
      await options.nth(2).waitFor();
      await page.keyboard.press('Escape');
      await list.waitFor({ state: 'detached' });
      assert.equal(await box.inputValue(), 'Thanks @adam_smith and @ad');
      await page.keyboard.type('a_');
      // The list of the shorter prefix stays on show until the answer for this one replaces it.
      await options.nth(1).waitFor({ state: 'detached' });
      assert.deepEqual(await options.allInnerTexts(), ['Ada Lovelace @ada_lovelace']);
      await page.keyboard.press('Tab');
      await list.waitFor({ state: 'detached' });
      assert.equal(await box.inputValue(), 'Thanks @adam_smith and @ada_lovelace ');

      // A click picks too; one character after @ lists nothing.
      await page.keyboard.type('with @b');
      await page.keyboard.type('e');
      await options.first().click();
      assert.equal(await box.inputValue(), 'Thanks @adam_smith and @ada_lovelace with @bea ');
      await page.keyboard.type('@a');
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Backspace');
      assert.equal(await list.count(), 0);

      // Posted, the names are links.
      await page.getByRole('button', { name: 'Post comment' }).click();
      const posted = page.locator('li.comment', { hasText: 'Thanks' }).first();
      await posted.getByRole('link', { name: '@bea' }).waitFor();
      assert.deepEqual(await posted.locator('a.mention').allInnerTexts(), ['@adam_smith', '@ada_lovelace', '@bea']);
      await context.close();
    });
  }
});
