import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppConfig } from '../../src/config/app-config.js';
import { type Account, ADMIN_ENV, bearer, newUser, signInAdmin } from '../helpers/accounts.js';
import { Fixtures } from '../helpers/fixtures.js';
import { assertSafeHtml, XSS } from '../helpers/hostile-strings.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { browserSkipReason, openBrowser, newReader, TIMEOUT, type TestBrowser } from './browser.js';

/** Text as a browser reads it out of html: the entities the server writes decoded. */
const decode = (html: string) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** What a page's raw html says about itself, read with regexes over the server's own, regular markup. */
function readPage(html: string) {
  const head = /<head>([\s\S]*)<\/head>/.exec(html)?.[1] ?? '';
  const meta = (attribute: 'name' | 'property', key: string) => {
    const match = new RegExp(`<meta ${attribute}="${key}" content="([^"]*)" />`).exec(head);
    return match ? decode(match[1]) : undefined;
  };
  const link = (rel: string) => {
    const match = new RegExp(`<link rel="${rel}"[^>]* href="([^"]*)" />`).exec(head);
    return match ? decode(match[1]) : undefined;
  };
  return {
    head,
    title: decode(/<title>([^<]*)<\/title>/.exec(head)?.[1] ?? ''),
    description: meta('name', 'description'),
    og: {
      title: meta('property', 'og:title'),
      description: meta('property', 'og:description'),
      type: meta('property', 'og:type'),
      url: meta('property', 'og:url'),
    },
    canonical: link('canonical'),
    feeds: [
      ...head.matchAll(/<link rel="alternate" type="application\/atom\+xml" title="[^"]*" href="([^"]*)" \/>/g),
    ].map((m) => decode(m[1])),
    /** What #app holds before the client starts. */
    app: /<div id="app">([\s\S]*)<\/div>\s*<noscript>/.exec(html)?.[1] ?? '',
  };
}

/**
 * Every tag of the head is one the shell or the server writes, with only their attributes: no element or attribute came
 * out of an essay's text (attribute values, escaped, are set aside before the tag is read).
 */
function assertSafeHead(head: string, label: string): void {
  for (const tag of head.match(/<[^>]*>/g) ?? []) {
    const bare = tag.replace(/="[^"]*"/g, '=""');
    assert.match(
      bare,
      /^<(\/title>|\/script>|title>|(meta|link)( (name|content|property|rel|type|title|href|charset|crossorigin)(="")?)+( \/)?>|script type="" crossorigin src="">)$/,
      `${label}: ${tag}`,
    );
  }
  assert.equal(head.match(/<script/g)?.length, 1, `${label}: only the client's own script`);
}

describe('pages whose html carries their content, robots.txt and the sitemap', () => {
  let t: TestApp;
  let admin: Account;
  let reader: Account;
  let publicUrl: string;
  let browser: TestBrowser | undefined;

  const publish = async (
    title: string,
    body: string,
    canonicalUrl?: string,
  ): Promise<{ slug: string; blocks: { id: string }[] }> => {
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title, author: 'A. "Quoted" <Writer>', body, canonicalUrl });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { slug: string; blocks: { id: string }[] };
  };

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    publicUrl = t.app.get(AppConfig).publicUrl;
    admin = await signInAdmin(t);
    reader = await newUser(t);
    if (!browserSkipReason()) browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('names an essay in the head and holds its text in the body', async () => {
    const long = `${'A long opening sentence that goes on and on, '.repeat(8)}and ends.`;
    const essay = await publish(
      'On reading slowly',
      `${long}\n\n## A heading inside\n\nA second paragraph with *emphasis*.`,
      'https://blog.example.net/2024/reading-slowly.html',
    );
    const res = await t.http.get(`/articles/${essay.slug}`).expect(200);
    assert.match(res.headers['content-type'], /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.match(res.headers['content-security-policy'], /script-src 'self'(;|$)/);
    assert.doesNotMatch(res.headers['content-security-policy'], /unsafe-inline/);
    const page = readPage(res.text);
    assert.equal(page.title, 'On reading slowly · Essay forum');
    assert.equal(page.og.title, 'On reading slowly');
    assert.equal(page.og.type, 'article');
    assert.ok(page.description && page.description.length <= 200, page.description);
    assert.ok(page.description.startsWith('A long opening sentence') && page.description.endsWith('…'));
    assert.equal(page.og.description, page.description);
    assert.equal(page.canonical, 'https://blog.example.net/2024/reading-slowly.html', 'the publisher’s address');
    assert.equal(page.og.url, page.canonical);
    assert.deepEqual(page.feeds.sort(), [
      '/feeds/essays.atom',
      `${publicUrl}/feeds/articles/${essay.slug}/comments.atom`,
    ]);
    assertSafeHead(page.head, 'essay');
    assert.match(page.app, /<h1>On reading slowly<\/h1>/);
    assert.match(page.app, /By A\. &quot;Quoted&quot; &lt;Writer&gt;/);
    assert.match(page.app, /<h2>A heading inside<\/h2>/);
    assert.match(page.app, /<p>A second paragraph with <em>emphasis<\/em>\.<\/p>/);
    // HEAD answers the same status and headers, without the body.
    await t.http.head(`/articles/${essay.slug}`).expect(200);
  });

  it('points the canonical link at the forum’s page when the essay has no address elsewhere', async () => {
    const essay = await publish('Only here', 'Published on the forum alone.');
    const page = readPage((await t.http.get(`/articles/${essay.slug}/`).expect(200)).text);
    assert.equal(page.canonical, `${publicUrl}/articles/${essay.slug}`);
    assert.equal(page.description, 'Published on the forum alone.');
  });

  it('keeps hostile titles and text as text in the head and the body', async () => {
    const hostile: [string, string][] = [
      ...XSS.slice(0, 12),
      ['quotes of both kinds', `He said "stop" & she said 'go'`],
      ['replacement patterns', "Costs $& and $1 and $` and $'"],
    ];
    for (const [label, text] of hostile) {
      const title = `Essay: ${text}`.slice(0, 300);
      const essay = await publish(title, `A paragraph about ${text}.`);
      const res = await t.http.get(`/articles/${essay.slug}`).expect(200);
      const page = readPage(res.text);
      assert.equal(page.title, `${title.trim()} · Essay forum`, label);
      assert.equal(page.og.title, title.trim(), label);
      assertSafeHead(page.head, label);
      assertSafeHtml(page.app, label);
      if (/[<"]/.test(text)) assert.ok(!res.text.includes(text), `${label}: the raw string is nowhere in the page`);
    }
  });

  it('names a comment by its author and essay, with its text and a link to the essay', async () => {
    const essay = await publish('A discussed essay', 'Something "to" & discuss.');
    const res = await t.http
      .post(`/api/articles/${essay.slug}/comments`)
      .set('Authorization', bearer(reader.token))
      .send({
        body: 'I *disagree* <script>alert(1)</script> with "this".',
        quote: { source: 'article', blockId: essay.blocks[0].id, text: 'Something "to" & discuss' },
      });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const { id } = res.body as { id: string };
    const html = (await t.http.get(`/comments/${id}`).expect(200)).text;
    const page = readPage(html);
    assert.equal(page.title, `${reader.displayName} on A discussed essay · Essay forum`);
    assert.equal(page.og.type, 'article');
    assert.match(page.description ?? '', /^I disagree .*with "this"\.$/);
    assert.equal(page.canonical, `${publicUrl}/comments/${id}`);
    assert.deepEqual(page.feeds.sort(), [
      '/feeds/essays.atom',
      `${publicUrl}/feeds/articles/${essay.slug}/comments.atom`,
    ]);
    assertSafeHead(page.head, 'comment');
    assertSafeHtml(page.app, 'comment');
    assert.match(page.app, /<em>disagree<\/em>/);
    assert.match(
      page.app,
      /<blockquote class="comment-quote"><p>Something &quot;to&quot; &amp; discuss<\/p><\/blockquote>/,
    );
    assert.ok(page.app.includes(`<a href="${publicUrl}/articles/${essay.slug}">A discussed essay</a>`), page.app);
  });

  it('shows of a comment only what an anonymous reader may see', async () => {
    const fixtures = new Fixtures(t.app);
    const article = await fixtures.newArticle();
    const pending = await fixtures.newComment({ article, status: 'pending', body: 'Held for review: secret words.' });
    const removed = await fixtures.newComment({ article, status: 'removed', body: 'Removed: secret words.' });
    const deleted = await fixtures.newComment({ article, status: 'deleted', body: 'Deleted: secret words.' });
    await fixtures.newComment({ article, parent: deleted, body: 'A reply keeps the deleted one in the thread.' });
    // The page answers as the API answers someone signed out: 404 for a comment never published, a placeholder for
    // one removed or deleted once readers had seen it.
    for (const [comment, placeholder] of [
      [pending, null],
      [removed, /Removed by a moderator\./],
      [deleted, /Deleted by its author\./],
    ] as const) {
      const api = await t.http.get(`/api/comments/${comment.id}`);
      const res = await t.http.get(`/comments/${comment.id}`);
      assert.equal(res.status, api.status, comment.id);
      assert.doesNotMatch(res.text, /secret words/);
      const page = readPage(res.text);
      if (placeholder) {
        assert.equal(res.status, 200);
        assert.match(page.title, new RegExp(`^\\[(deleted|removed)\\] on Essay ${article.slug} · Essay forum$`));
        assert.match(page.app, placeholder);
      } else {
        assert.equal(res.status, 404);
        assert.equal(page.title, 'Not found · Essay forum');
      }
    }
  });

  it('answers the shell with a 404 and a generic title for what names nothing', async () => {
    for (const path of [
      '/articles/no-such-essay',
      '/articles/%E0%A4%A',
      '/comments/999999999',
      '/comments/x',
      '/comments/%',
    ]) {
      const res = await t.http.get(path).expect(404);
      assert.match(res.headers['content-type'], /^text\/html/, path);
      assert.match(res.headers['content-security-policy'], /script-src 'self'/, path);
      assert.equal(readPage(res.text).title, 'Not found · Essay forum', path);
      assert.match(res.text, /<div id="app"><\/div>/, path);
    }
    // The publish screen is a page of the client, not an essay.
    const publishScreen = await t.http.get('/articles/new').expect(200);
    assert.equal(readPage(publishScreen.text).title, 'Essay forum');
  });

  it('serves robots.txt pointing at the sitemap, keeping crawlers out of the API', async () => {
    const res = await t.http.get('/robots.txt').expect(200);
    assert.match(res.headers['content-type'], /^text\/plain/);
    const lines = res.text.split('\n');
    assert.ok(lines.includes('User-agent: *'));
    assert.ok(lines.includes('Allow: /'));
    assert.ok(lines.includes('Disallow: /api/'));
    assert.ok(lines.includes(`Sitemap: ${publicUrl}/sitemap.xml`));
  });

  it('lists the essays’ pages in a valid sitemap, with when each last changed', async () => {
    const quiet = await publish('A quiet essay', 'Nobody comments here.');
    const busy = await publish('A busy essay', 'Everybody comments here.');
    const before = Date.now();
    await t.http
      .post(`/api/articles/${busy.slug}/comments`)
      .set('Authorization', bearer(reader.token))
      .send({ body: 'A comment changes the page.' })
      .expect(201);
    const res = await t.http.get('/sitemap.xml').expect(200);
    assert.match(res.headers['content-type'], /^application\/xml/);
    assert.equal(XMLValidator.validate(res.text), true, 'well-formed XML');
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'url' }).parse(res.text) as {
      urlset: { '@_xmlns': string; url: { loc: string; lastmod: string }[] };
    };
    assert.equal(parsed.urlset['@_xmlns'], 'http://www.sitemaps.org/schemas/sitemap/0.9');
    const byLoc = new Map(parsed.urlset.url.map((u) => [u.loc, u.lastmod]));
    const quietModified = byLoc.get(`${publicUrl}/articles/${quiet.slug}`);
    const busyModified = byLoc.get(`${publicUrl}/articles/${busy.slug}`);
    assert.ok(quietModified && busyModified, res.text);
    assert.ok(Date.parse(busyModified) >= before - 1000, `the comment moved lastmod: ${busyModified}`);
    assert.ok(Date.parse(quietModified) <= Date.parse(busyModified));
    // Newest first, as the essays are listed.
    const locs = parsed.urlset.url.map((u) => u.loc);
    assert.ok(locs.indexOf(`${publicUrl}/articles/${busy.slug}`) < locs.indexOf(`${publicUrl}/articles/${quiet.slug}`));
  });

  it(
    'reads without JavaScript, and the client takes the page over with it',
    { skip: browserSkipReason() },
    async () => {
      assert.ok(browser);
      const essay = await publish('Read without scripts', 'The first paragraph, readable at once.');
      const offline = await browser.newContext({ javaScriptEnabled: false });
      const page = await offline.newPage();
      page.setDefaultTimeout(TIMEOUT);
      await page.goto(`${t.baseUrl}/articles/${essay.slug}`);
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Read without scripts');
      await page.getByText('The first paragraph, readable at once.').waitFor();
      assert.equal(await page.title(), 'Read without scripts · Essay forum');
      await offline.close();

      const { context, page: live } = await newReader(browser);
      const errors: string[] = [];
      live.on('pageerror', (error) => errors.push(error.message));
      await live.goto(`${t.baseUrl}/articles/${essay.slug}`);
      // The client's reading view, not the server's html: its thread controls are there and the static copy is gone.
      await live.getByRole('button', { name: 'Sign in' }).first().waitFor();
      await live.getByText('The first paragraph, readable at once.').waitFor();
      assert.equal(await live.locator('.static-page').count(), 0);
      assert.equal(await live.getByRole('heading', { level: 1, name: 'Read without scripts' }).count(), 1);
      assert.deepEqual(errors, []);
      await context.close();
    },
  );
});
