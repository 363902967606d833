import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, newReader, openBrowser, type TestBrowser } from './browser.js';

/** The page's background as a relative luminance (0 black, 1 white), read from the computed style. */
async function backgroundLuminance(page: Page): Promise<number> {
  const colour = await page.evaluate<string>(`getComputedStyle(document.body).backgroundColor`);
  const [r, g, b] = (colour.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((part) => {
    const channel = Number(part) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  assert.ok(b !== undefined, `a colour: ${colour}`);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The colour scheme: the system's by default, the reader's own once chosen in the footer (remembered across reloads),
 * and back to the system's with Auto.
 */
describe('the colour scheme', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('follows a dark system, switches to light and back, and keeps the choice over a reload', async () => {
    const { context, page } = await newReader(browser);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${t.baseUrl}/`);
    const schemes = page.getByRole('group', { name: 'Colour scheme' });
    const auto = schemes.getByRole('button', { name: 'Auto' });
    const light = schemes.getByRole('button', { name: 'Light' });
    const dark = schemes.getByRole('button', { name: 'Dark' });
    await auto.and(page.locator('[aria-pressed="true"]')).waitFor();
    assert.ok((await backgroundLuminance(page)) < 0.05, 'dark by the system');

    await light.click();
    await light.and(page.locator('[aria-pressed="true"]')).waitFor();
    assert.equal(await auto.getAttribute('aria-pressed'), 'false');
    assert.ok((await backgroundLuminance(page)) > 0.8, 'light by choice, though the system is dark');

    await page.reload();
    await light.and(page.locator('[aria-pressed="true"]')).waitFor();
    assert.ok((await backgroundLuminance(page)) > 0.8, 'still light after a reload');

    await dark.click();
    await dark.and(page.locator('[aria-pressed="true"]')).waitFor();
    assert.ok((await backgroundLuminance(page)) < 0.05, 'dark by choice');
    // The form controls and scrollbars follow too.
    assert.equal(await page.evaluate<string>(`getComputedStyle(document.documentElement).colorScheme`), 'dark');

    await auto.click();
    await page.reload();
    await auto.and(page.locator('[aria-pressed="true"]')).waitFor();
    assert.equal(await page.evaluate<string | null>(`localStorage.getItem('essay-forum.theme')`), null);
    await context.close();
  });

  it('lets a reader choose dark on a light system', async () => {
    const { context, page } = await newReader(browser);
    await page.goto(`${t.baseUrl}/`);
    const dark = page.getByRole('group', { name: 'Colour scheme' }).getByRole('button', { name: 'Dark' });
    await dark.waitFor();
    assert.ok((await backgroundLuminance(page)) > 0.8, 'light by the system');
    await dark.click();
    await dark.and(page.locator('[aria-pressed="true"]')).waitFor();
    assert.ok((await backgroundLuminance(page)) < 0.05, 'dark by choice, though the system is light');
    await context.close();
  });
});
