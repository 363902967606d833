import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page } from 'playwright-core';
import { ADMIN_ENV, type Account, bearer, newUser, signInAdmin, uniqueName } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, launchBrowser, newReader } from './browser.js';

const SCREENSHOTS = process.env.SCREENSHOT_DIR;

describe('an admin edits an essay in the web client', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: Browser;
  let admin: Account;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), launchBrowser()]);
    admin = await signInAdmin(t);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A new essay of two paragraphs, published through the API; its slug. */
  async function publish(): Promise<string> {
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({
        title: `Gardens ${uniqueName('essay')}`,
        author: 'Ada Gardener',
        tags: ['gardens'],
        body: 'The first paragraph is about roses in June.\n\nThe second paragraph is about tulips in April.\n',
      })
      .expect(201);
    return res.body.slug as string;
  }

  async function pageAs(account: Account): Promise<Page> {
    const { context, page } = await newReader(browser);
    await context.addCookies([{ name: 'forum_session', value: account.token, url: t.baseUrl }]);
    return page;
  }

  /** Both widths the client is drawn for, when SCREENSHOT_DIR asks for pictures to look at. */
  async function screenshots(page: Page, name: string): Promise<void> {
    if (!SCREENSHOTS) return;
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('opens the source from the essay, shows a refused field beside it, saves a new revision the essay then shows', async () => {
    const slug = await publish();
    const page = await pageAs(admin);
    await page.goto(`${t.baseUrl}/articles/${slug}`);
    await page.getByText('The second paragraph is about tulips').waitFor();
    await screenshots(page, 'essay-reading-admin');
    await page.getByRole('link', { name: 'Edit essay' }).click();
    await page.getByRole('heading', { name: 'Edit essay' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/articles/${slug}/edit`);

    const source = page.getByLabel('Markdown source');
    assert.match(await source.inputValue(), /tulips in April/);
    assert.equal(await page.getByLabel('Tags').inputValue(), 'gardens');
    const revisions = page.getByRole('region', { name: 'Revisions' }).getByRole('listitem');
    assert.equal(await revisions.count(), 1);
    await screenshots(page, 'essay-edit');

    // The server refuses the address: its sentence stands beside the field, which says it is invalid.
    const canonical = page.getByLabel(/Canonical URL/);
    await canonical.fill('not an address');
    await page.getByRole('button', { name: 'Save' }).click();
    const refusal = page.locator('#edit-canonicalUrl-error');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /canonicalUrl must be a URL/);
    assert.equal(await canonical.getAttribute('aria-invalid'), 'true');
    assert.equal(await canonical.getAttribute('aria-describedby'), 'edit-canonicalUrl-error');
    await screenshots(page, 'essay-edit-refused');
    assert.equal((await t.http.get(`/api/articles/${slug}`).expect(200)).body.revision, 1, 'nothing saved');

    await canonical.fill('https://example.com/gardens');
    await page.getByLabel('Title').fill('Gardens through the year');
    await source.fill(
      'The first paragraph is about roses in June.\n\n' +
        'The second paragraph is about daffodils in March.\n\n' +
        '## Later\n\nA third paragraph about *ferns* in the shade.\n',
    );
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as revision 2.' }).waitFor();
    assert.equal(await refusal.count(), 0, 'the refusal is gone once the address is accepted');

    // The preview follows the save with the server's rendering, and the list names the new revision and its author.
    const preview = page.getByRole('region', { name: /As published \(revision 2\)/ });
    await preview.getByText('daffodils in March').waitFor();
    assert.equal(await preview.locator('em', { hasText: 'ferns' }).count(), 1);
    assert.equal(await preview.getByText('tulips').count(), 0);
    await revisions.nth(1).waitFor();
    assert.deepEqual(
      (await revisions.allInnerTexts()).map((text) => text.split(' · ')[0]),
      ['Revision 2', 'Revision 1'],
    );
    assert.match(await revisions.first().innerText(), /admin/);
    await screenshots(page, 'essay-edit-saved');

    await page.getByRole('link', { name: 'Back to the essay' }).click();
    await page.getByRole('heading', { name: 'Gardens through the year', level: 1 }).waitFor();
    await page.getByText('The second paragraph is about daffodils in March.').waitFor();
    await page.getByText('revision 2').waitFor();
    assert.equal(await page.getByText('tulips').count(), 0);

    const saved = (await t.http.get(`/api/articles/${slug}`).expect(200)).body;
    assert.equal(saved.revision, 2);
    assert.equal(saved.title, 'Gardens through the year');
    assert.equal(saved.canonicalUrl, 'https://example.com/gardens');
    assert.deepEqual(saved.tags, ['gardens']);
    await page.context().close();
  });

  it('lists the revisions and shows a past one read-only, at its own address too', async () => {
    const slug = await publish();
    await t.http
      .patch(`/api/articles/${slug}`)
      .set('Authorization', bearer(admin.token))
      .send({ body: 'The first paragraph is about roses in July.\n\nThe second paragraph is about tulips in April.\n' })
      .expect(200);

    const page = await pageAs(admin);
    await page.goto(`${t.baseUrl}/articles/${slug}/edit`);
    const revisions = page.getByRole('region', { name: 'Revisions' }).getByRole('listitem');
    await revisions.nth(1).waitFor();
    assert.equal(await revisions.count(), 2);
    await revisions.getByRole('link', { name: 'Revision 1' }).click();

    await page.getByText('Revision 1, as the essay read then.').waitFor();
    assert.equal(new URL(page.url()).pathname, `/articles/${slug}/revisions/1`);
    await page.getByText('roses in June').waitFor();
    assert.equal(await page.getByText('roses in July').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Reply' }).count(), 0, 'nothing to discuss on a past revision');
    await screenshots(page, 'essay-revision');

    await page.getByRole('link', { name: 'Read the current essay.' }).click();
    await page.getByText('roses in July').waitFor();

    // The address loads by itself (the server answers the page), for anyone: revisions are public like the essay.
    const { page: visitor } = await newReader(browser);
    await visitor.goto(`${t.baseUrl}/articles/${slug}/revisions/2`);
    await visitor.getByText('Revision 2, as the essay read then.').waitFor();
    await visitor.getByText('roses in July').waitFor();
    await visitor.goto(`${t.baseUrl}/articles/${slug}/revisions/9`);
    await visitor.getByRole('heading', { name: 'There is no such revision of this essay.' }).waitFor();
    await visitor.context().close();
    await page.context().close();
  });

  it('refuses a reader and a visitor: no link on the essay, and the edit address says only admins may edit', async () => {
    const slug = await publish();
    const reader = await newUser(t);
    const page = await pageAs(reader);
    await page.goto(`${t.baseUrl}/articles/${slug}`);
    await page.getByText('Signed in as').waitFor();
    await page.getByText('The second paragraph is about tulips').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Edit essay' }).count(), 0);

    await page.goto(`${t.baseUrl}/articles/${slug}/edit`);
    await page.getByRole('heading', { name: 'Only admins can edit essays' }).waitFor();
    await page.getByText('Your account cannot change this essay.').waitFor();
    assert.equal(await page.getByLabel('Markdown source').count(), 0);
    await screenshots(page, 'essay-edit-refused-reader');
    await page.context().close();

    const { page: visitor } = await newReader(browser);
    await visitor.goto(`${t.baseUrl}/articles/${slug}/edit`);
    await visitor.getByRole('heading', { name: 'Only admins can edit essays' }).waitFor();
    await visitor.getByText('Sign in with an admin account to edit this essay.').waitFor();
    await visitor.context().close();
  });
});
