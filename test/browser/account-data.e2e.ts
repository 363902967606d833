import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { type BrowserContext, type Page } from 'playwright-core';
import { type Account, newUser, PASSWORD } from '../helpers/accounts.js';
import { Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, openBrowser, newReader, type TestBrowser } from './browser.js';

/** The account page's "Your data" and "Delete my account", as a person uses them. */
describe('the account page: my data', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let fx: Fixtures;
  let browser: TestBrowser;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), openBrowser()]);
    fx = new Fixtures(t.app);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A reader's page at /account signed in as `account`; its context's close() hands the page on to the next test. */
  async function accountPage(account: Account): Promise<{ context: BrowserContext; page: Page }> {
    const reader = await newReader(browser);
    await reader.context.addCookies([{ name: 'forum_session', value: account.token, url: t.baseUrl }]);
    await reader.page.goto(`${t.baseUrl}/account`);
    await reader.page.getByRole('heading', { name: 'Your account' }).waitFor();
    return reader;
  }

  it('downloads the export as a JSON file holding the reader’s comments', async () => {
    const reader = await newUser(t);
    const essay = await fx.newArticle();
    await fx.newComment({ article: essay, authorId: reader.id, body: 'a thought worth keeping' });
    const { context, page } = await accountPage(reader);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download my data' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `essay-forum-${reader.username}.json`);
    const data = JSON.parse(await readFile(await download.path(), 'utf8')) as {
      user: { username: string };
      comments: { body: string }[];
    };
    assert.equal(data.user.username, reader.username);
    assert.deepEqual(
      data.comments.map((c) => c.body),
      ['a thought worth keeping'],
    );
    await context.close();
  });

  it('deletes the account with the password, after a wrong one is refused, and signs the page out', async () => {
    const reader = await newUser(t);
    const { context, page } = await accountPage(reader);
    const form = page.getByRole('form', { name: 'Delete my account' });
    await form.getByLabel('Your password').fill('not my password');
    await form.getByLabel('I understand').check();
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await form.getByRole('alert').filter({ hasText: 'The password is wrong.' }).waitFor();

    await form.getByLabel('Your password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByRole('heading', { name: 'Your account is deleted' }).waitFor();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in to see your account' }).waitFor();
    assert.equal((await t.http.get(`/api/users/${reader.username}`)).status, 404);
    await context.close();
  });
});
