import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Page } from 'playwright-core';
import { ADMIN_ENV, type Account, bearer, newUser, register, signInAdmin, uniqueName } from '../helpers/accounts.js';
import { XSS } from '../helpers/hostile-strings.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, openBrowser, newReader, TIMEOUT, type TestBrowser } from './browser.js';

/**
 * What the server stores as text, the client shows as text: the whole XSS corpus as comment bodies, quotes, display
 * names, report notes and an essay's title and Markdown, opened in a real browser on every view. Nothing may run: no
 * dialog, no call to alert/confirm/prompt, no Content-Security-Policy violation (which would mean something tried),
 * and no event handler, script-capable element or script link anywhere in the page.
 */
describe('hostile content in the web client', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let admin: Account;
  let slug: string;
  const commentIds: string[] = [];

  before(async () => {
    [t, browser] = await Promise.all([startTestApp({ env: ADMIN_ENV }), openBrowser()]);
    admin = await signInAdmin(t);
    const essay = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({
        title: `An essay <script>alert(1)</script> <img src=x onerror=alert(1)>`,
        author: '<svg onload=alert(1)>',
        tags: ['<b onmouseover=alert(1)>tag</b>'],
        source: '<a href="javascript:alert(1)">source</a>',
        body: [
          '# A heading <img src=x onerror=alert(1)>',
          '',
          'The first paragraph, quoted below.',
          '',
          ...XSS.map(([, s]) => `${s}\n`),
        ].join('\n'),
      })
      .expect(201);
    slug = essay.body.slug as string;
    const firstParagraph = (essay.body.blocks as { id: string; kind: string; text: string }[]).find(
      (b) => b.kind === 'paragraph' && b.text.startsWith('The first'),
    );
    assert.ok(firstParagraph);
    // Authors whose display names are payloads (64 code points at most: the shorter ones).
    const authors: Account[] = [];
    for (const [, payload] of XSS.filter(([, s]) => [...s].length <= 64).slice(0, 6)) {
      // Registered through the API, whose validation of display names is part of what this proves.
      authors.push(await register(t, uniqueName('xss'), { displayName: payload }));
    }
    let parentId: string | undefined;
    for (const [i, [, payload]] of XSS.entries()) {
      const author = authors[i % authors.length];
      const res = await t.http
        .post(`/api/articles/${slug}/comments`)
        .set('Authorization', bearer(author.token))
        .send({
          body: `Payload ${i}: ${payload}`,
          ...(i % 3 === 1 && parentId ? { parentId } : {}),
          ...(i % 4 === 0
            ? { quote: { source: 'article', blockId: firstParagraph.id, text: 'The first paragraph' } }
            : {}),
        })
        .expect(201);
      commentIds.push(res.body.id as string);
      if (i % 3 === 0) parentId = res.body.id as string;
    }
    // Reports with payload notes, and one comment removed with a payload reason: the moderators' view shows both.
    const reporter = await newUser(t, uniqueName('reporter'));
    for (const id of commentIds.slice(0, 5)) {
      await t.http
        .post(`/api/comments/${id}/reports`)
        .set('Authorization', bearer(reporter.token))
        .send({ reason: 'other', note: XSS[2][1] })
        .expect(201);
    }
    await t.http
      .post(`/api/moderation/comments/${commentIds[5]}/remove`)
      .set('Authorization', bearer(admin.token))
      .send({ reason: XSS[0][1] })
      .expect(200);
    await t.http
      .post(`/api/moderation/users/${authors[0].id}/ban`)
      .set('Authorization', bearer(admin.token))
      .send({ reason: XSS[4][1] })
      .expect(200);
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A page that records anything a payload could have made run. */
  async function watchedPage(
    signedIn?: Account,
  ): Promise<{ page: Page; fired: () => Promise<string[]>; close: () => Promise<void> }> {
    const { context, page } = await newReader(browser);
    if (signedIn) await context.addCookies([{ name: 'forum_session', value: signedIn.token, url: t.baseUrl }]);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    // Browser code as text: the test's own TypeScript has no DOM types.
    // Disposed with the page's close: the page goes on to other tests (newReader), which must not run it.
    const watch = await page.addInitScript(`
      window.__fired = [];
      for (const name of ['alert', 'confirm', 'prompt']) window[name] = (...args) => void window.__fired.push(name + '(' + args.join(',') + ')');
      document.addEventListener('securitypolicyviolation', (e) => window.__fired.push('csp: ' + e.violatedDirective + ' ' + e.blockedURI));
    `);
    return {
      page,
      fired: async () => [...dialogs, ...(await page.evaluate<string[]>('window.__fired'))],
      close: async () => {
        await watch.dispose();
        await context.close();
      },
    };
  }

  /** No element that runs script, no on* attribute, no script link: in the whole document. */
  async function assertInert(page: Page, where: string): Promise<void> {
    const found = await page.evaluate<string[]>(`(() => {
      const bad = [];
      for (const el of document.body.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (['iframe', 'object', 'embed', 'frame', 'frameset', 'math', 'base', 'meta', 'link', 'style', 'svg'].includes(tag)) bad.push('<' + tag + '>');
        if (tag === 'script') bad.push('<script>');
        for (const attr of el.attributes) {
          if (/^on/i.test(attr.name)) bad.push(tag + '[' + attr.name + ']');
          if (/^(href|src|action|formaction|xlink:href|srcdoc)$/i.test(attr.name) && /^\\s*(javascript|data|vbscript):/i.test(attr.value)) bad.push(tag + '[' + attr.name + '=' + attr.value.slice(0, 30) + ']');
          if (attr.name === 'style' && /url\\(|expression/i.test(attr.value)) bad.push(tag + '[style]');
        }
      }
      return bad;
    })()`);
    assert.deepEqual(found, [], `${where}: ${found.join(', ')}`);
  }

  it('reads the essay and its whole thread as text: nothing runs, nothing active in the page', async () => {
    const { page, fired, close } = await watchedPage();
    await page.goto(`${t.baseUrl}/articles/${slug}`);
    await page
      .getByRole('heading', { name: 'An essay <script>alert(1)</script> <img src=x onerror=alert(1)>' })
      .waitFor();
    await page.getByText(/^\d+ following$/).waitFor();
    // Every comment, loaded to the end.
    // Each click waits until what it loaded is on the page, so the next look for a button never sees one that the
    // previous load is about to take away.
    const shown = page.locator('#discussion li.comment');
    for (;;) {
      const more = page.getByRole('button', { name: /^(More comments|Load \d+ more repl)/ }).first();
      if ((await more.count()) === 0) break;
      const before = await shown.count();
      await more.click();
      // A locator wait (the page's CSP forbids the eval a string waitForFunction needs).
      await shown.nth(before).waitFor({ state: 'attached', timeout: TIMEOUT });
    }
    // The payloads are there, as the words they are.
    const discussion = page.locator('#discussion');
    for (const i of [0, 2, 4, 10, XSS.length - 1]) {
      await discussion
        .getByText(`Payload ${i}: ${XSS[i][1]}`.replace(/\s+/g, ' ').slice(0, 40), { exact: false })
        .first()
        .waitFor();
    }
    assert.equal(await discussion.locator('li.comment').count(), XSS.length);
    await assertInert(page, 'reading view');
    // The quoted passage's margin count opens the comments that quote it.
    await page.getByText('The first paragraph, quoted below.').waitFor();
    assert.deepEqual(await fired(), []);
    await close();
  });

  it('shows the permalink and the list of essays inertly too', async () => {
    const { page, fired, close } = await watchedPage();
    await page.goto(`${t.baseUrl}/comments/${commentIds[3]}`);
    await page.getByText(/^Payload 3:/).waitFor();
    await assertInert(page, 'permalink');
    await page.goto(`${t.baseUrl}/`);
    await page.getByText('An essay <script>alert(1)</script>', { exact: false }).first().waitFor();
    await assertInert(page, 'list');
    assert.deepEqual(await fired(), []);
    await close();
  });

  it('shows the moderators’ view (reports, removed bodies, bans, the log) inertly', async () => {
    const { page, fired, close } = await watchedPage(admin);
    await page.goto(`${t.baseUrl}/moderation`);
    await page.getByRole('button', { name: 'Reported' }).click();
    await page.getByText(XSS[2][1]).first().waitFor(); // a report's note, as text
    await page.getByRole('button', { name: 'Removed' }).click();
    await page
      .getByText(/^Payload 5:/)
      .first()
      .waitFor();
    await page.locator('#bans').getByText(XSS[4][1]).first().waitFor(); // the ban's reason
    await assertInert(page, 'moderation');
    assert.deepEqual(await fired(), []);
    await close();
  });
});
