import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type BrowserContext, type CDPSession, type Frame, type FrameLocator, type Page } from 'playwright-core';
import { type Account, bearer, newUser, PASSWORD, uniqueName } from '../helpers/accounts.js';
import { type ArticleFixture, Fixtures } from '../helpers/fixtures.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, newReader, openBrowser, TIMEOUT, type TestBrowser } from './browser.js';

/**
 * A publisher's page on another site than the forum's: http://localhost:PORT against the forum on 127.0.0.1 (a host
 * name and an IP address are different sites, so the forum's frame is third-party there). `scheme` sets the page's
 * own background, which embed.js reads as its colour scheme.
 */
function hostPage(
  forum: string,
  script: string,
  scheme: 'light' | 'dark' = 'light',
  essay = '<p>Its text.</p>',
): string {
  const colours = scheme === 'dark' ? 'background:#15171a;color:#ddd' : 'background:#fff;color:#222';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A publisher's blog</title></head>
<body style="${colours}"><h1>An essay on the publisher's own site</h1>${essay}
<script src="${forum}/embed.js" async ${script}></script>
<p id="after">The page goes on.</p></body></html>`;
}

/** Serves publishers' pages at `/?…` as the test sets them: `pages` maps a path and query to the page's html. */
async function startHost(pages: Map<string, string>): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const page = pages.get(req.url ?? '');
    res.writeHead(page ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page ?? 'no such page');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://localhost:${(server.address() as AddressInfo).port}` };
}

/**
 * The DevTools sessions that keep third-party cookies blocked, one per reader's page, kept for the suite's next tests
 * and detached after its last: the pages go on to other suites.
 */
const cookieControls = new Map<Page, CDPSession>();

/**
 * A reader's page (newReader) as current browsers are: third-party cookies blocked. Chromium blocks them by its own
 * setting in an off-the-record context (what playwright's newContext gives); CDP's Network.setCookieControls states it
 * outright, for as long as its session stays attached: once per page, which the suite's next tests are handed.
 */
async function readerBlockingThirdPartyCookies(browser: TestBrowser): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await newReader(browser);
  if (!cookieControls.has(page)) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCookieControls', { enableThirdPartyCookieRestriction: true });
    cookieControls.set(page, cdp);
  }
  return { context, page };
}

/** The forum's frame on the host page, once its discussion is shown. */
async function discussion(page: Page): Promise<FrameLocator> {
  const frame = page.frameLocator('iframe[title="Discussion"]');
  await frame.getByRole('heading', { name: /^Discussion/ }).waitFor();
  return frame;
}

/**
 * Signs `reader` in through the forum's popup, which `press` (a click in the frame) opens; resolves once the popup has
 * closed and the frame shows the reader signed in.
 */
async function signInThroughPopup(
  context: BrowserContext,
  frame: FrameLocator,
  reader: Account,
  press: () => Promise<void>,
): Promise<void> {
  const [popup] = await Promise.all([context.waitForEvent('page'), press()]);
  await popup.getByLabel('Username').fill(reader.username);
  await popup.getByLabel('Password').fill(reader.password);
  await Promise.all([
    popup.waitForEvent('close'),
    popup.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await frame.getByText('Signed in as').waitFor();
}

/** The frame's bar: its Sign in and Sign up, the bell, who is signed in. */
const accountBar = (frame: FrameLocator) => frame.getByRole('navigation', { name: 'Account' });

/** The frame element's height on the host page, in CSS pixels. */
const frameHeight = (page: Page) =>
  page.locator('iframe[title="Discussion"]').evaluate((frame) => frame.getBoundingClientRect().height);

/** Waits until `test` holds of the frame's height; answers that height. */
async function waitForHeight(page: Page, test: (height: number) => boolean, what: string): Promise<number> {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const height = await frameHeight(page);
    if (test(height)) return height;
    if (Date.now() > deadline) throw new Error(`the frame's height (${height}) never became ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The frame's own document (to read what it computed), found among the page's frames by its address. */
function forumFrame(page: Page, forum: string): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${forum}/embed/`));
  assert.ok(frame, 'the forum frame is on the page');
  return frame;
}

describe('the discussion embedded on a publisher’s page', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  const pages = new Map<string, string>();
  let host: { server: Server; origin: string };
  /** A second publisher's site, not in EMBED_ORIGINS. */
  let stranger: { server: Server; origin: string };
  let fixtures: Fixtures;
  let writer: Account;

  before(async () => {
    [host, stranger, browser] = await Promise.all([startHost(pages), startHost(pages), openBrowser()]);
    t = await startTestApp({ env: { EMBED_ORIGINS: host.origin } });
    fixtures = new Fixtures(t.app);
    writer = await newUser(t, undefined, { displayName: 'Elsewhere Writer' });
  });

  after(async () => {
    for (const cdp of cookieControls.values()) await cdp.detach().catch(() => undefined);
    cookieControls.clear();
    await browser?.close();
    await t?.close();
    host?.server.close();
    stranger?.server.close();
  });

  /** An essay with one comment, and the host page that embeds it (by slug, or by its canonical address). */
  async function embedded(
    options: { byUrl?: boolean; scheme?: 'light' | 'dark'; essay?: (essay: ArticleFixture) => string } = {},
  ): Promise<{ essay: ArticleFixture; url: string; first: { id: string } }> {
    const essay = await fixtures.newArticle();
    const first = await fixtures.newComment({ article: essay, body: 'The first word on it.' });
    let script = `data-article="${essay.slug}"`;
    if (options.byUrl) {
      const canonical = `${host.origin}/essays/${essay.slug}/`;
      await t.dataSource.query('UPDATE articles SET canonical_url = $1 WHERE id = $2', [canonical, essay.id]);
      script = `data-url="${canonical}"`;
    }
    const path = `/?${essay.slug}`;
    pages.set(path, hostPage(t.baseUrl, script, options.scheme, options.essay?.(essay)));
    return { essay, url: `${host.origin}${path}`, first };
  }

  const post = (slug: string, body: string, parentId?: string) =>
    t.http
      .post(`/api/articles/${slug}/comments`)
      .set('Authorization', bearer(writer.token))
      .send({ body, ...(parentId ? { parentId } : {}) })
      .then((res) => {
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body as { id: string };
      });

  it('blocks third-party cookies in this setup: a cookie of the forum’s site is not sent to the frame', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { url } = await embedded();
    // A cookie of the forum's site that may travel cross-site (SameSite=None): only the third-party block stops it.
    const forum = new URL(t.baseUrl);
    await context.addCookies([
      { name: 'probe', value: '1', domain: forum.hostname, path: '/', sameSite: 'None', secure: true },
    ]);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const verdicts: { url: string; reasons: string[] }[] = [];
    const requests = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (event) => requests.set(event.requestId, event.request.url));
    cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
      const probe = event.associatedCookies.find((c) => c.cookie.name === 'probe');
      if (probe) verdicts.push({ url: requests.get(event.requestId) ?? '', reasons: probe.blockedReasons });
    });
    await page.goto(url);
    await discussion(page);
    const framed = verdicts.find((v) => v.url.startsWith(`${t.baseUrl}/embed/articles/`));
    assert.ok(framed, `the frame's request was seen: ${JSON.stringify(verdicts)}`);
    assert.ok(framed.reasons.includes('UserPreferences'), `blocked as a third-party cookie: ${framed.reasons.join()}`);
    // On the forum's own page the same cookie goes: it is blocked only where it would be a third party's.
    await page.goto(`${t.baseUrl}/healthz`);
    const own = verdicts.find((v) => v.url === `${t.baseUrl}/healthz`);
    assert.deepEqual(own?.reasons, [], 'sent first-party');
    await cdp.detach();
    await context.close();
  });

  it('shows the thread without the essay, and sizes the frame to it as comments are added', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { essay, url } = await embedded();
    await page.goto(url);
    const frame = await discussion(page);
    await frame.getByText('The first word on it.').waitFor();
    assert.equal(await frame.locator('.essay').count(), 0, 'the host page shows the essay; the frame does not');
    // The frame stands where the script was, before the rest of the page.
    assert.equal(
      await page.evaluate(() => document.querySelector('iframe')?.nextElementSibling?.id),
      'after',
      'inserted after its script',
    );
    const before = await waitForHeight(page, (h) => h !== 480, 'the content’s');
    const inside = await forumFrame(page, t.baseUrl).evaluate(() =>
      Math.ceil(document.documentElement.getBoundingClientRect().height),
    );
    assert.equal(before, inside, 'the frame is exactly as tall as its content');
    for (const n of [1, 2, 3]) await post(essay.slug, `Another long thought, number ${n}.\n\n${'More. '.repeat(80)}`);
    await frame.getByRole('button', { name: 'Show 3 new comments' }).click();
    await frame.getByText('Another long thought, number 3.').waitFor();
    await waitForHeight(page, (h) => h > before + 150, 'taller by the three comments');
    await context.close();
  });

  it('shows a comment posted elsewhere live inside the frame', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { essay, url, first } = await embedded({ byUrl: true });
    await page.goto(url);
    const frame = await discussion(page);
    await frame.getByText('The first word on it.').waitFor();
    await frame.getByText(/following/).waitFor(); // joined the live room
    await post(essay.slug, 'An answer written on the forum itself.', first.id);
    await frame.getByText('An answer written on the forum itself.').waitFor();
    await context.close();
  });

  it('signs a reader in through the forum’s popup, then replies from the frame with the token, no cookie', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { essay, url } = await embedded();
    const reader = await newUser(t, undefined, { displayName: 'Framed Reader' });
    const authorizations: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(`${t.baseUrl}/api/`) && request.method() === 'POST')
        authorizations.push(request.headers().authorization ?? '');
    });
    await page.goto(url);
    const frame = await discussion(page);
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      frame.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign in' }).click(),
    ]);
    assert.equal(new URL(popup.url()).origin, t.baseUrl, 'the popup is the forum’s own page');
    await popup.getByLabel('Username').fill(reader.username);
    await popup.getByLabel('Password').fill(reader.password);
    await Promise.all([
      popup.waitForEvent('close'),
      popup.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await frame.getByText('Signed in as').waitFor();
    await frame.getByText('Framed Reader').first().waitFor();
    const first = frame.locator('li.comment').filter({ hasText: 'The first word on it.' });
    await first.locator(':scope > article').getByRole('button', { name: 'Reply' }).click();
    await frame.getByLabel(/^Reply to /).fill('A reply from inside the frame.');
    await first.getByRole('button', { name: 'Post reply' }).click();
    await frame.getByText('A reply from inside the frame.').waitFor();
    const thread = await t.http.get(`/api/articles/${essay.slug}/comments?sort=old`);
    const reply = thread.body.items[0].replies.find(
      (c: { body: string }) => c.body === 'A reply from inside the frame.',
    );
    assert.equal(reply?.author.id, reader.id);
    assert.ok(
      authorizations.some((a) => a.startsWith('Bearer ')),
      'the frame wrote with its bearer token',
    );
    // The browser holds no forum cookie for the frame to use: the token is the frame's alone.
    const cookies = await context.cookies(t.baseUrl);
    assert.ok(
      cookies.some((c) => c.name === 'forum_session'),
      'the popup signed in first-party',
    );
    assert.ok(
      cookies.filter((c) => c.name === 'forum_session').every((c) => c.sameSite === 'Lax'),
      'never a cross-site cookie',
    );
    // Its session ends elsewhere: the server closes the frame's live connection and the frame reads on as an
    // anonymous reader, offering to sign in again.
    const token = authorizations.find((a) => a.startsWith('Bearer '))?.slice('Bearer '.length);
    assert.ok(token);
    assert.equal((await t.http.post('/api/auth/logout').set('Authorization', bearer(token)).send()).status, 204);
    await frame.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign in' }).waitFor();
    await frame.getByRole('button', { name: 'Sign in to comment' }).waitFor();
    // Still signed in on the forum itself (the popup's own session went on): signing in again is one press.
    const [again] = await Promise.all([
      context.waitForEvent('page'),
      frame.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await Promise.all([
      again.waitForEvent('close'),
      again.getByRole('button', { name: 'Continue as Framed Reader' }).click(),
    ]);
    await frame.getByText('Signed in as').waitFor();
    await context.close();
  });

  /** The essay's two paragraphs as a publisher's page has them: other white space, a paragraph of its own between. */
  const publishersCopy = () => `<article data-forum-essay>
    <p>The first
      paragraph of a test essay.</p>
    <p>A paragraph the forum does not have.</p>
    <p>A second paragraph, <em>to</em> quote.</p>
  </article>`;

  it('shows each matching paragraph’s comment count on the host page, and follows it live', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { essay, url } = await embedded({ essay: publishersCopy });
    await page.goto(url);
    await discussion(page);
    const second = page.locator('[data-forum-essay] p').nth(2);
    await second.getByRole('button', { name: '0 comments' }).waitFor();
    await page.locator('[data-forum-essay] p').first().getByRole('button', { name: '0 comments' }).waitFor();
    const unknown = page.locator('[data-forum-essay] p').nth(1);
    assert.equal(
      await unknown.getByRole('button').count(),
      0,
      `a paragraph the essay does not have gets no count: ${await unknown.evaluate((p) => p.outerHTML)}`,
    );
    const quoted = await t.http
      .post(`/api/articles/${essay.slug}/comments`)
      .set('Authorization', bearer(writer.token))
      .send({ body: 'On the second.', quote: { source: 'article', blockId: essay.blocks[1].id, text: 'to quote' } });
    assert.equal(quoted.status, 201, JSON.stringify(quoted.body));
    await second.getByRole('button', { name: '1 comment' }).waitFor();
    // Pressed, the count shows that passage's comments in the frame.
    await second.getByRole('button', { name: '1 comment' }).click();
    const frame = page.frameLocator('iframe[title="Discussion"]');
    await frame.getByText(/Showing the comments on/).waitFor();
    // The filtered thread has come (the comment on the passage was waiting behind "1 new comment" before).
    await frame.getByText('On the second.').waitFor();
    assert.equal(await frame.getByText('The first word on it.').count(), 0, 'only that passage’s comments');
    await context.close();
  });

  it('quotes a passage selected on the host page in a comment of the frame, verified by the forum', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { essay, url } = await embedded({ essay: publishersCopy });
    const reader = await newUser(t, undefined, { displayName: 'Quoting Reader' });
    await page.goto(url);
    const frame = await discussion(page);
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      frame.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await popup.getByLabel('Username').fill(reader.username);
    await popup.getByLabel('Password').fill(reader.password);
    await Promise.all([
      popup.waitForEvent('close'),
      popup.getByRole('form', { name: 'Sign in' }).getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await frame.getByText('Signed in as').waitFor();
    const second = page.locator('[data-forum-essay] p').nth(2);
    await second.getByRole('button', { name: '0 comments' }).waitFor();
    // The reader selects "second paragraph, to" on the page (across the <em>).
    await second.evaluate((paragraph) => {
      const start = paragraph.firstChild as Text;
      const end = paragraph.querySelector('em')?.firstChild as Text;
      const range = document.createRange();
      range.setStart(start, start.data.indexOf('second'));
      range.setEnd(end, end.data.length);
      document.getSelection()?.removeAllRanges();
      document.getSelection()?.addRange(range);
    });
    await page.getByRole('button', { name: 'Quote', exact: true }).click();
    await frame.locator('.quote-draft').getByText('second paragraph, to').waitFor();
    await frame.getByLabel('Your comment on the essay').fill('Quoted from the publisher’s page.');
    await frame.getByRole('button', { name: 'Post comment' }).click();
    await frame.getByText('Quoted from the publisher’s page.').waitFor();
    const thread = await t.http.get(`/api/articles/${essay.slug}/comments?sort=new`);
    const mine = thread.body.items.find((c: { author: { id: string } | null }) => c.author?.id === reader.id);
    assert.equal(mine?.quote?.source, 'article');
    assert.equal(mine?.quote?.blockId, essay.blocks[1].id);
    assert.equal(mine?.quote?.text, 'second paragraph, to');
    assert.equal(mine?.quote?.verified, true);
    await second.getByRole('button', { name: '1 comment' }).waitFor();
    await context.close();
  });

  it('resumes the reply a reader started before signing in through the popup: the box, its draft, the focus', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { essay, url } = await embedded();
    const reader = await newUser(t, undefined, { displayName: 'Resuming Reader' });
    await page.goto(url);
    const frame = await discussion(page);
    const first = frame.locator('li.comment').filter({ hasText: 'The first word on it.' });
    const box = frame.getByLabel(/^Reply to /);
    await signInThroughPopup(context, frame, reader, async () => {
      await first.locator(':scope > article').getByRole('button', { name: 'Reply' }).click();
      // The box opened behind the popup: the reader writes there, then goes to the popup (the box loses the focus).
      await box.fill('Drafted before signing in.');
      await box.evaluate((area) => area.blur());
    });
    // Signed in, the frame takes the reader back to the box, as the dialog does on the forum itself.
    await box.and(frame.locator('textarea:focus')).waitFor();
    assert.equal(await box.inputValue(), 'Drafted before signing in.');
    await first.getByRole('button', { name: 'Post reply' }).click();
    await frame.locator('li.comment li.comment').getByText('Drafted before signing in.').waitFor();
    const thread = await t.http.get(`/api/articles/${essay.slug}/comments?sort=old`);
    const reply = thread.body.items[0].replies.find((c: { body: string }) => c.body === 'Drafted before signing in.');
    assert.equal(reply?.author.id, reader.id);
    await context.close();
  });

  it('carries a passage of a comment, quoted in the frame before signing in, into the reply once signed in', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { essay, url, first } = await embedded();
    const reader = await newUser(t, undefined, { displayName: 'Comment Quoter' });
    await page.goto(url);
    const frame = await discussion(page);
    const body = frame.locator(`[data-comment-id="${first.id}"] .comment-body`).first();
    await body.getByText('The first word on it.').waitFor();
    await body.evaluate((element) => {
      const text = element.querySelector('p')?.firstChild as Text;
      const range = document.createRange();
      range.setStart(text, text.data.indexOf('first word'));
      range.setEnd(text, text.data.indexOf(' on it'));
      document.getSelection()?.removeAllRanges();
      document.getSelection()?.addRange(range);
    });
    await signInThroughPopup(context, frame, reader, () => frame.getByRole('button', { name: /Quote$/ }).click());
    // Without the sign-in's continuation the reply box would stay closed: nothing asked for it but the Quote.
    const box = frame.getByLabel(/^Reply to /);
    const reply = frame.locator('li.comment').filter({ has: box });
    await reply.locator('.quote-draft').getByText('first word').waitFor();
    await box.fill('Quoting a comment from inside the frame.');
    await reply.getByRole('button', { name: 'Post reply' }).click();
    await frame.getByText('Quoting a comment from inside the frame.').waitFor();
    const thread = await t.http.get(`/api/articles/${essay.slug}/comments?sort=old`);
    const posted = thread.body.items[0].replies.find(
      (c: { body: string }) => c.body === 'Quoting a comment from inside the frame.',
    );
    assert.equal(posted?.author.id, reader.id);
    assert.equal(posted?.quote?.source, 'comment');
    assert.equal(posted?.quote?.text, 'first word');
    assert.equal(posted?.quote?.verified, true);
    await context.close();
  });

  it('signs a new reader up through the popup, and the frame writes as them', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { essay, url } = await embedded();
    await page.goto(url);
    const frame = await discussion(page);
    const username = uniqueName('framed');
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      accountBar(frame).getByRole('button', { name: 'Sign up' }).click(),
    ]);
    const form = popup.getByRole('dialog', { name: 'Create an account' });
    await form.getByLabel('Username').fill(username);
    await form.getByLabel('Password').fill(PASSWORD);
    await form.getByLabel('Display name').fill('Newly Framed');
    await Promise.all([
      popup.waitForEvent('close'),
      form.getByRole('button', { name: 'Sign up', exact: true }).click(),
    ]);
    await accountBar(frame).getByText('Newly Framed').waitFor();
    await frame.getByLabel('Your comment on the essay').fill('My first words, from a publisher’s page.');
    await frame.getByRole('button', { name: 'Post comment' }).click();
    await frame.getByText('My first words, from a publisher’s page.').waitFor();
    const thread = await t.http.get(`/api/articles/${essay.slug}/comments?sort=new`);
    const mine = thread.body.items.find((c: { body: string }) => c.body === 'My first words, from a publisher’s page.');
    assert.equal(mine?.author.username, username, 'posted by the account the popup created');
    await context.close();
  });

  it('shows the signed-in reader their notifications in the frame, live, and marks them read', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { essay, url } = await embedded();
    const reader = await newUser(t, undefined, { displayName: 'Notified Reader' });
    const other = await newUser(t, undefined, { displayName: 'Someone Else' });
    const mine = await fixtures.newComment({ article: essay, authorId: reader.id, body: 'What the reader said.' });
    const theirs = await fixtures.newComment({ article: essay, authorId: other.id, body: 'What another said.' });
    await page.goto(url);
    const frame = await discussion(page);
    await signInThroughPopup(context, frame, reader, () =>
      accountBar(frame).getByRole('button', { name: 'Sign in' }).click(),
    );
    await accountBar(frame).getByRole('button', { name: 'Notifications, none unread' }).waitFor();
    // A reply to the other reader first, then to this one: the bell counts only this one's, live over the frame's
    // own connection (its token).
    await post(essay.slug, 'An answer for someone else.', theirs.id);
    await post(essay.slug, 'An answer for the framed reader.', mine.id);
    const bell = accountBar(frame).getByRole('button', { name: 'Notifications, 1 unread' });
    await bell.click();
    const inbox = frame.getByRole('region', { name: 'Notifications' });
    const item = inbox.locator('li.notification');
    await item.getByText('An answer for the framed reader.').waitFor();
    assert.equal(await item.count(), 1, 'only the reader’s own notification');
    assert.equal(await inbox.getByText('An answer for someone else.').count(), 0);
    assert.match(await item.innerText(), /Elsewhere Writer[\s\S]*replied to your comment/);
    // A notification that comes while the list is open joins it at the top.
    await post(essay.slug, 'A second answer for the framed reader.', mine.id);
    await item.first().getByText('A second answer for the framed reader.').waitFor();
    await accountBar(frame).getByRole('button', { name: 'Notifications, 2 unread' }).waitFor();
    await item.first().getByRole('button', { name: 'Mark read' }).click();
    await accountBar(frame).getByRole('button', { name: 'Notifications, 1 unread' }).waitFor();
    await inbox.getByRole('button', { name: 'Mark all read' }).click();
    await accountBar(frame).getByRole('button', { name: 'Notifications, none unread' }).waitFor();
    const server = await t.http.get('/api/notifications').set('Authorization', bearer(reader.token));
    assert.equal(server.status, 200);
    assert.equal(server.body.unreadCount, 0, 'read on the server');
    assert.equal(server.body.items.length, 2);
    // Back to the discussion: the thread is as it was.
    await frame.getByRole('button', { name: 'Back to the discussion' }).click();
    await frame.getByText('What the reader said.').waitFor();
    await accountBar(frame)
      .getByRole('button', { name: 'Notifications, none unread' })
      .and(frame.locator(':focus'))
      .waitFor();
    assert.equal(await inbox.count(), 0);
    // Signed out, the bell goes with the list.
    await accountBar(frame).getByRole('button', { name: 'Sign out' }).click();
    await accountBar(frame).getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(
      await accountBar(frame)
        .getByRole('button', { name: /^Notifications/ })
        .count(),
      0,
    );
    await context.close();
  });

  it('keeps a passage an anonymous reader quoted on the host page until they sign in, then posts it', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { essay, url } = await embedded({ essay: publishersCopy });
    const reader = await newUser(t, undefined, { displayName: 'Late Quoter' });
    await page.goto(url);
    const frame = await discussion(page);
    const second = page.locator('[data-forum-essay] p').nth(2);
    await second.getByRole('button', { name: '0 comments' }).waitFor();
    await second.evaluate((paragraph) => {
      const text = paragraph.firstChild as Text;
      const range = document.createRange();
      range.setStart(text, text.data.indexOf('second'));
      range.setEnd(text, text.data.indexOf(','));
      document.getSelection()?.removeAllRanges();
      document.getSelection()?.addRange(range);
    });
    await page.getByRole('button', { name: 'Quote', exact: true }).click();
    // Not signed in: the frame shows the passage kept above its sign-in button.
    const join = frame.locator('.join');
    await join.getByText('second paragraph').waitFor();
    await join.getByText(/Your quote waits here/).waitFor();
    await signInThroughPopup(context, frame, reader, () =>
      frame.getByRole('button', { name: 'Sign in to comment' }).click(),
    );
    const box = frame.getByLabel('Your comment on the essay');
    await frame.locator('form .quote-draft').getByText('second paragraph').waitFor();
    await box.fill('Quoted before I had an account here.');
    await frame.getByRole('button', { name: 'Post comment' }).click();
    await frame.getByText('Quoted before I had an account here.').waitFor();
    const thread = await t.http.get(`/api/articles/${essay.slug}/comments?sort=new`);
    const mine = thread.body.items.find((c: { author: { id: string } | null }) => c.author?.id === reader.id);
    assert.equal(mine?.quote?.blockId, essay.blocks[1].id);
    assert.equal(mine?.quote?.text, 'second paragraph');
    assert.equal(mine?.quote?.verified, true, 'verified by the forum');
    await second.getByRole('button', { name: '1 comment' }).waitFor();
    await context.close();
  });

  it('opens the forum’s essay at the passage, in a new tab without an opener, from the frame’s passage filter', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { essay, url } = await embedded({ essay: publishersCopy });
    await fixtures.newComment({ article: essay, body: 'On the first passage.', quoteBlockId: essay.blocks[0].id });
    await page.goto(url);
    const frame = await discussion(page);
    const firstParagraph = page.locator('[data-forum-essay] p').first();
    await firstParagraph.getByRole('button', { name: '1 comment' }).click();
    await frame.getByText(/Showing the comments on/).waitFor();
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      frame.getByRole('link', { name: 'one passage' }).click(),
    ]);
    await tab.waitForLoadState('domcontentloaded');
    assert.equal(tab.url(), `${t.baseUrl}/articles/${essay.slug}#block-${essay.blocks[0].id}`);
    assert.equal(await tab.evaluate(() => window.opener), null, 'opened with rel=noopener');
    await tab.locator(`#block-${essay.blocks[0].id}`).waitFor();
    // The comment's own quoted passage goes to the same place, the same way.
    const [again] = await Promise.all([
      context.waitForEvent('page'),
      frame
        .locator('li.comment')
        .filter({ hasText: 'On the first passage.' })
        .getByRole('link', { name: 'from the essay' })
        .click(),
    ]);
    await again.waitForLoadState('domcontentloaded');
    assert.equal(again.url(), `${t.baseUrl}/articles/${essay.slug}#block-${essay.blocks[0].id}`);
    assert.equal(await again.evaluate(() => window.opener), null, 'opened with rel=noopener');
    await context.close();
  });

  it('passes the host page’s colour scheme into the frame, and follows its changes', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const { url } = await embedded({ scheme: 'dark' });
    await page.goto(url);
    await discussion(page);
    const scheme = () => forumFrame(page, t.baseUrl).evaluate(() => document.documentElement.dataset.theme);
    assert.equal(await scheme(), 'dark');
    await page.evaluate(() => {
      document.body.style.background = '#fff';
    });
    const deadline = Date.now() + TIMEOUT;
    while ((await scheme()) !== 'light') {
      if (Date.now() > deadline) throw new Error('the frame kept the dark scheme');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await context.close();
  });

  it('cannot be framed by a page whose origin is not in EMBED_ORIGINS', async () => {
    const { context, page } = await readerBlockingThirdPartyCookies(browser);
    const essay = await fixtures.newArticle();
    const path = `/?stranger-${essay.slug}`;
    pages.set(path, hostPage(t.baseUrl, `data-article="${essay.slug}"`));
    const refused = page.waitForEvent('console', (message) => /frame-ancestors/.test(message.text()));
    await page.goto(`${stranger.origin}${path}`);
    await refused;
    assert.equal(await page.locator('iframe[title="Discussion"]').count(), 1, 'the script inserted the frame');
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(frame);
    assert.ok(
      !frame.url().startsWith(t.baseUrl) || (await frame.locator('#app').count()) === 0,
      'nothing of the forum',
    );
    await context.close();
  });
});
