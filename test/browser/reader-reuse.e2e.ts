import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ArticleFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, newReader, openBrowser, TIMEOUT, type TestBrowser } from './browser.js';

/**
 * The browser suites hand a reader's page that a test closed to their next test (newReader) instead of opening a new
 * one: these tests hold that it comes back as a new one would, whatever the test before did with it.
 */
describe('a reader’s page handed on to the next test', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let essay: ArticleFixture;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
    essay = await new Fixtures(t.app).newArticle();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('keeps nothing of the test that closed it: cookies, storage, tabs, listeners, routes, size, scheme, network', async () => {
    const first = await newReader(browser);
    const { context, page } = first;
    await context.addCookies([{ name: 'left-behind', value: '1', url: t.baseUrl }]);
    await context.grantPermissions(['clipboard-read'], { origin: t.baseUrl });
    await page.goto(`${t.baseUrl}/articles/${essay.slug}`);
    await page.getByText('1 following').waitFor();
    await page.evaluate(`localStorage.setItem('left-behind', '1'); sessionStorage.setItem('left-behind', '1')`);
    let heard = 0;
    page.on('console', () => heard++);
    await context.route('**/routed-probe', (route) => route.fulfill({ status: 200, body: 'routed' }));
    await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await context.setOffline(true);
    await context.close();

    // Its live connection went with the app's page: a new reader of the essay is its only follower.
    const other = await browser.newContext();
    const watcher = await other.newPage();
    watcher.setDefaultTimeout(TIMEOUT);
    await watcher.goto(`${t.baseUrl}/articles/${essay.slug}`);
    await watcher.getByText('1 following').waitFor();
    await other.close();

    const second = await newReader(browser);
    assert.equal(second.page, page, 'the closed page is the one handed on');
    assert.deepEqual(await second.context.cookies(), [], 'no cookie');
    assert.equal(second.context.pages().length, 1, 'no other tab');
    const routed = await second.page.goto(`${t.baseUrl}/routed-probe`);
    assert.notEqual(await routed?.text(), 'routed', 'no route');
    await second.page.goto(`${t.baseUrl}/articles/${essay.slug}`);
    await second.page.getByText('1 following').waitFor();
    assert.deepEqual(
      await second.page.evaluate(`[
        localStorage.getItem('left-behind'),
        sessionStorage.getItem('left-behind'),
        innerWidth,
        matchMedia('(prefers-color-scheme: dark)').matches,
        navigator.onLine,
      ]`),
      [null, null, 1280, false, true],
      'no storage; the reader’s size and light scheme; online',
    );
    assert.equal(
      await second.page.evaluate(`navigator.permissions.query({ name: 'clipboard-read' }).then((p) => p.state)`),
      'prompt',
      'no permission granted',
    );
    // A listener of this test hears the message: the earlier test's would have heard it by then.
    const said = second.page.waitForEvent('console');
    await second.page.evaluate(`console.log('anyone?')`);
    await said;
    assert.equal(heard, 0, 'no listener of the earlier test');
    await second.context.close();
  });

  it('takes the time zone and locale it was asked for, and leaves them with the test that asked', async () => {
    const fresh = await browser.newContext();
    const place = `[Intl.DateTimeFormat().resolvedOptions().timeZone, Intl.DateTimeFormat().resolvedOptions().locale]`;
    const unplaced = await (await fresh.newPage()).evaluate<[string, string]>(place);
    await fresh.close();
    assert.notDeepEqual(unplaced, ['Asia/Tokyo', 'de-DE'], 'the browser is elsewhere by itself');

    const first = await newReader(browser, { timezoneId: 'Asia/Tokyo', locale: 'de-DE' });
    await first.page.goto(`${t.baseUrl}/articles/${essay.slug}`);
    assert.deepEqual(await first.page.evaluate(place), ['Asia/Tokyo', 'de-DE']);
    await first.context.close();

    const second = await newReader(browser);
    assert.equal(second.page, first.page, 'the closed page is the one handed on');
    await second.page.goto(`${t.baseUrl}/articles/${essay.slug}`);
    assert.deepEqual(await second.page.evaluate(place), unplaced, 'where a new context is');
    await second.context.close();
  });
});
