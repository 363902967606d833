import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, openBrowser, newReader, type TestBrowser } from './browser.js';

describe('addresses whose percent-encoding is malformed', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const path of ['/articles/%E0%A4%A', '/comments/%']) {
    it(`shows the not-found page at ${path}, not a blank one`, async () => {
      const { context, page } = await newReader(browser);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const res = await page.goto(`${t.baseUrl}${path}`);
      assert.equal(res?.status(), 404, 'the server answers the client page, saying it names nothing');
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
      assert.match(await page.locator('main').innerText(), /There is nothing at this address\./);
      assert.equal(await page.title(), 'Not found · Essay forum');
      assert.deepEqual(errors, [], 'no script error');
      await context.close();
    });
  }
});
