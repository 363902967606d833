import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type BrowserContext, type Page } from 'playwright-core';
import { ADMIN_ENV, type Account, bearer, newUser, signInAdmin, uniqueName } from '../helpers/accounts.js';
import { eventually } from '../helpers/entry-point.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, openBrowser, newReader, type TestBrowser } from './browser.js';

const SCREENSHOTS = process.env.SCREENSHOT_DIR;

describe('an admin edits an essay in the web client', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let admin: Account;

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
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

  /** A reader's page signed in as `account`; its context's close() hands the page on to the next test. */
  async function pageAs(account: Account): Promise<{ context: BrowserContext; page: Page }> {
    const reader = await newReader(browser);
    await reader.context.addCookies([{ name: 'forum_session', value: account.token, url: t.baseUrl }]);
    return reader;
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
    const { context, page } = await pageAs(admin);
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
    await context.close();
  });

  it('lists the revisions and shows a past one read-only, at its own address too', async () => {
    const slug = await publish();
    await t.http
      .patch(`/api/articles/${slug}`)
      .set('Authorization', bearer(admin.token))
      .send({ body: 'The first paragraph is about roses in July.\n\nThe second paragraph is about tulips in April.\n' })
      .expect(200);

    const { context, page } = await pageAs(admin);
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
    const { context: visitorContext, page: visitor } = await newReader(browser);
    await visitor.goto(`${t.baseUrl}/articles/${slug}/revisions/2`);
    await visitor.getByText('Revision 2, as the essay read then.').waitFor();
    await visitor.getByText('roses in July').waitFor();
    await visitor.goto(`${t.baseUrl}/articles/${slug}/revisions/9`);
    await visitor.getByRole('heading', { name: 'There is no such revision of this essay.' }).waitFor();
    await visitorContext.close();
    await context.close();
  });

  it('publishes an essay from the list with a live preview that follows the Markdown, keeping the draft on errors', async () => {
    const { context, page } = await pageAs(admin);
    // Every preview asked for, and each one the client gave up (a newer draft made it stale).
    const previews: string[] = [];
    const dropped: string[] = [];
    page.on('request', (req) => {
      if (req.url().endsWith('/api/articles/preview')) previews.push(JSON.parse(req.postData() ?? '{}').body);
    });
    page.on('requestfailed', (req) => {
      if (req.url().endsWith('/api/articles/preview')) dropped.push(JSON.parse(req.postData() ?? '{}').body);
    });
    await page.goto(t.baseUrl);
    await page.getByRole('link', { name: 'Publish an essay' }).waitFor();
    await screenshots(page, 'essay-list-admin');
    await page.getByRole('link', { name: 'Publish an essay' }).click();
    await page.getByRole('heading', { name: 'Publish an essay', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/articles/new');
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByText('The essay appears here as you write it.').waitFor();

    const title = `Orchards ${uniqueName('essay')}`;
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Author').fill('Ada Gardener');
    const source = page.getByLabel('Markdown source');
    await source.fill('## Apples\n\nThe first paragraph is about *pippins* in October.');
    await preview.getByRole('heading', { name: 'Apples' }).waitFor();
    await preview.locator('em', { hasText: 'pippins' }).waitFor();
    await preview.getByRole('heading', { name: title }).waitFor();

    // A preview held by the network is dropped when the draft moves on: the newer draft's answer is the one shown.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/articles/preview', async (route) => {
      if (JSON.parse(route.request().postData() ?? '{}').body.includes('Bramleys')) await held;
      await route.continue().catch(() => undefined);
    });
    await source.fill('## Apples\n\nBramleys are for cooking.');
    assert.ok(await eventually(() => Promise.resolve(previews.some((body) => body.includes('Bramleys'))), 10_000));
    await source.fill('## Apples\n\nCox’s Orange Pippin is for eating.');
    await preview.getByText('Cox’s Orange Pippin is for eating.').waitFor();
    release();
    assert.ok(
      await eventually(() => Promise.resolve(dropped.some((body) => body.includes('Bramleys'))), 10_000),
      'dropped',
    );
    assert.equal(await preview.getByText('Bramleys').count(), 0, 'the stale answer never shows');
    await page.unroute('**/api/articles/preview');

    // A body the server cannot render says so in a line; the draft stays, and the next keystroke previews again.
    await source.fill('---');
    await preview
      .getByRole('status')
      .filter({ hasText: /No preview: body has no text/ })
      .waitFor();
    assert.equal(await source.inputValue(), '---');
    await screenshots(page, 'essay-publish-refused-preview');
    await source.fill('## Apples\n\nThe first paragraph is about *pippins* in October.\n\n> A quotation on orchards.');
    await preview.locator('blockquote, .block-quote', { hasText: 'A quotation on orchards.' }).first().waitFor();
    assert.equal(await preview.getByRole('status').count(), 0, 'the refusal is gone with a previewable body');
    await screenshots(page, 'essay-publish');

    // The draft outlives a reload of the page.
    await page.reload();
    await page.getByRole('heading', { name: 'Publish an essay', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Title').inputValue(), title);
    assert.match(await source.inputValue(), /A quotation on orchards/);
    await preview.locator('em', { hasText: 'pippins' }).waitFor();

    // Refused by the server: the sentence stands beside the field, and everything typed is still there.
    const canonical = page.getByLabel(/Canonical URL/);
    await canonical.fill('not an address');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('#publish-canonicalUrl-error').waitFor();
    assert.equal(await canonical.getAttribute('aria-invalid'), 'true');
    assert.match(await source.inputValue(), /A quotation on orchards/);
    assert.equal(await page.getByLabel('Title').inputValue(), title);

    await canonical.fill('');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    const slug = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
    await page.getByText('The first paragraph is about').waitFor();
    const published = (await t.http.get(`/api/articles/${slug}`).expect(200)).body;
    assert.equal(published.author, 'Ada Gardener');
    assert.equal(published.blocks.length, 3);
    // Published, the draft is gone: the next essay starts from an empty form.
    await page.goto(`${t.baseUrl}/articles/new`);
    await page.getByText('The essay appears here as you write it.').waitFor();
    assert.equal(await page.getByLabel('Title').inputValue(), '');
    await context.close();
  });

  it('shows before saving what an edit does to the quotes: deleting a quoted paragraph orphans its quote', async () => {
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({
        title: `Hedges ${uniqueName('essay')}`,
        author: 'Ada Gardener',
        body: [
          'Hawthorn makes the best hedge for a windy field.',
          'Blackthorn flowers before its leaves open, early in spring.',
          'Holly keeps the hedge green through the winter months.',
        ].join('\n\n'),
      })
      .expect(201);
    const { slug, blocks } = res.body as { slug: string; blocks: { id: string }[] };
    const reader = await newUser(t);
    const quoteOf = async (blockId: string, text: string) =>
      (
        await t.http
          .post(`/api/articles/${slug}/comments`)
          .set('Authorization', bearer(reader.token))
          .send({ body: 'On this passage.', quote: { source: 'article', blockId, text } })
          .expect(201)
      ).body.id as string;
    await quoteOf(blocks[0].id, 'the best hedge for a windy field');
    const doomed = await quoteOf(blocks[1].id, 'flowers before its leaves open');

    const { context, page } = await pageAs(admin);
    await page.goto(`${t.baseUrl}/articles/${slug}/edit`);
    const source = page.getByLabel('Markdown source');
    await page.getByRole('region', { name: 'As published (revision 1)' }).getByText('Blackthorn').waitFor();
    assert.equal(await page.locator('.quote-impact').count(), 0, 'no impact while the text is the saved one');

    // The quoted Blackthorn paragraph goes, Holly's is edited, and a paragraph is added.
    await source.fill(
      'Hawthorn makes the best hedge for a windy field.\n\n' +
        'Holly keeps the hedge green through the long winter months.\n\n' +
        'Beech holds its dead leaves until the spring.',
    );
    const impact = page.locator('.quote-impact');
    await impact.getByText('1 becomes orphaned').waitFor();
    assert.match(
      await impact.innerText(),
      /1 quote stays exact, 0 move, 0 change, 1 becomes orphaned/,
      await impact.innerText(),
    );
    assert.equal(await impact.locator('.impact-warn').innerText(), '1 becomes orphaned');
    const preview = page.getByRole('region', { name: 'Preview (not saved)' });
    await preview.getByText('Holly keeps the hedge green').waitFor();
    assert.equal(await preview.getByText('Blackthorn').count(), 0);
    assert.deepEqual(await preview.locator('.block-change-label').allTextContents(), ['Edited', 'New passage']);
    assert.match(await preview.locator('.block-edited').innerText(), /long winter months/);
    assert.match(await preview.locator('.block-new').innerText(), /Beech holds/);
    assert.equal((await t.http.get(`/api/articles/${slug}`).expect(200)).body.revision, 1, 'nothing saved yet');
    await screenshots(page, 'essay-edit-quote-impact');

    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved as revision 2.' }).waitFor();
    assert.equal(await impact.count(), 0, 'the saved text has nothing left to preview');
    await page.getByRole('region', { name: 'As published (revision 2)' }).getByText('Holly').waitFor();
    const quote = (await t.http.get(`/api/comments/${doomed}`).expect(200)).body.comment.quote;
    assert.equal(quote.anchor, 'orphaned', 'the revision did what the preview said');
    await context.close();
  });

  it('refuses a reader and a visitor: no link on the essay or the list, and the edit and publish addresses say only admins may', async () => {
    const slug = await publish();
    const reader = await newUser(t);
    const { context, page } = await pageAs(reader);
    await page.goto(`${t.baseUrl}/articles/${slug}`);
    await page.getByText('Signed in as').waitFor();
    await page.getByText('The second paragraph is about tulips').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Edit essay' }).count(), 0);

    await page.goto(`${t.baseUrl}/articles/${slug}/edit`);
    await page.getByRole('heading', { name: 'Only admins can edit essays' }).waitFor();
    await page.getByText('Your account cannot change this essay.').waitFor();
    await page.goto(`${t.baseUrl}/articles/new`);
    await page.getByRole('heading', { name: 'Only admins can publish essays' }).waitFor();
    assert.equal(await page.getByLabel('Markdown source').count(), 0);
    await page.goto(t.baseUrl);
    await page.getByRole('heading', { name: 'Essays' }).waitFor();
    await page.getByText('Signed in as').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Publish an essay' }).count(), 0);
    assert.equal(await page.getByLabel('Markdown source').count(), 0);
    await screenshots(page, 'essay-edit-refused-reader');
    await context.close();

    const { context: visitorContext, page: visitor } = await newReader(browser);
    await visitor.goto(`${t.baseUrl}/articles/${slug}/edit`);
    await visitor.getByRole('heading', { name: 'Only admins can edit essays' }).waitFor();
    await visitor.getByText('Sign in with an admin account to edit this essay.').waitFor();
    await visitorContext.close();
  });
});
