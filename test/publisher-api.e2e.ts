import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { type Account, ADMIN_ENV, assertErrorBody, bearer, newUser, signInAdmin } from './helpers/accounts.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const PUBLIC_URL = 'https://forum.example.org';

/** An html construct of Atom (`type="html"`): its text, the html a reader renders. */
type HtmlText = { '@_type': 'html'; '#text': string };

interface AtomEntry {
  title: HtmlText;
  id: string;
  link: { '@_href': string } | { '@_href': string }[];
  updated: string;
  content?: HtmlText;
  author?: { name: string };
}

/** What a reader sees of an html construct: its markup's text, entities decoded (enough for the titles here). */
const shown = (html: HtmlText) =>
  html['#text']
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** A feed checked for well-formed XML and the Atom namespace, then read. */
function parseAtom(text: string): { feed: { title: string; id: string; updated: string; entry?: AtomEntry[] } } {
  assert.equal(XMLValidator.validate(text), true, 'well-formed XML');
  const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' }).parse(text) as {
    feed: { '@_xmlns': string; title: string; id: string; updated: string; entry?: AtomEntry[] };
  };
  assert.equal(parsed.feed['@_xmlns'], 'http://www.w3.org/2005/Atom');
  return parsed;
}

const href = (link: AtomEntry['link']) => (Array.isArray(link) ? link[0] : link)['@_href'];

describe('the publisher’s API: by-url, counts, feeds', () => {
  let t: TestApp;
  let admin: Account;
  let reader: Account;

  const publish = async (title: string, canonicalUrl?: string): Promise<{ id: string; slug: string }> => {
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title, author: 'A. Publisher', body: `# ${title}\n\nThe first paragraph of ${title}.`, canonicalUrl });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; slug: string };
  };

  const comment = async (slug: string, body: string): Promise<{ id: string }> => {
    const res = await t.http
      .post(`/api/articles/${slug}/comments`)
      .set('Authorization', bearer(reader.token))
      .send({ body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string };
  };

  before(async () => {
    t = await startTestApp({ env: { ...ADMIN_ENV, PUBLIC_URL } });
    admin = await signInAdmin(t);
    reader = await newUser(t, undefined, { displayName: 'Rita <Reader> & Co' });
  });

  after(() => t.close());

  it('finds an essay by its address on the publisher’s site', async () => {
    const url = 'https://blog.example.com/2024/01/on-essays.html';
    const essay = await publish('On essays', url);
    const res = await t.http.get('/api/articles/by-url').query({ url }).expect(200);
    assert.equal(res.body.slug, essay.slug);
    assert.equal(res.body.canonicalUrl, url);
    assert.ok(Array.isArray(res.body.blocks), 'the whole Article, as GET /api/articles/:slug answers it');
    assertErrorBody(await t.http.get('/api/articles/by-url').query({ url: `${url}?other` }), 404, 'another address');
    assertErrorBody(await t.http.get('/api/articles/by-url'), 400, 'no url');
    assertErrorBody(await t.http.get('/api/articles/by-url').query({ url: 'not a url' }), 400, 'not a url');
    assertErrorBody(await t.http.get('/api/articles/by-url').query({ url: 'javascript:alert(1)' }), 400, 'a script');
  });

  it('counts the comments of up to 100 essays, leaving unknown ones out', async () => {
    const a = await publish('Counted one');
    const b = await publish('Counted two');
    await comment(a.slug, 'one');
    await comment(a.slug, 'two');
    const res = await t.http
      .get('/api/articles/counts')
      .query({ slugs: `${a.slug},${b.slug},no-such-essay,${a.slug}` });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { counts: { [a.slug]: 2, [b.slug]: 0 } });
    const many = Array.from({ length: 101 }, (_, i) => `essay-${i}`).join(',');
    assertErrorBody(await t.http.get('/api/articles/counts').query({ slugs: many }), 400, '101 slugs');
    assertErrorBody(await t.http.get('/api/articles/counts'), 400, 'no slugs');
    assertErrorBody(await t.http.get('/api/articles/counts').query({ slugs: 'Not A Slug' }), 400, 'a bad slug');
  });

  it('never gives an essay a slug that the publisher’s routes use', async () => {
    const essay = await publish('Counts');
    assert.equal(essay.slug, 'counts-2');
    const byUrl = await publish('By URL');
    assert.notEqual(byUrl.slug, 'by-url');
  });

  it('serves the latest essays as an Atom feed, linking to the forum’s pages', async () => {
    const essay = await publish('A feed & its <entries>');
    const res = await t.http.get('/feeds/essays.atom').expect(200);
    assert.match(res.headers['content-type'], /^application\/atom\+xml/);
    const { feed } = parseAtom(res.text);
    assert.equal(feed.id, `${PUBLIC_URL}/feeds/essays.atom`);
    const entries = feed.entry ?? [];
    assert.ok(entries.length >= 1 && entries.length <= 50);
    assert.equal(entries[0].title['@_type'], 'html');
    assert.equal(shown(entries[0].title), 'A feed & its <entries>', 'newest first, the title escaped as html');
    assert.equal(href(entries[0].link), `${PUBLIC_URL}/articles/${essay.slug}`);
    assert.equal(entries[0].author?.name, 'A. Publisher');
  });

  it('serves an essay’s visible comments as an Atom feed, and nothing readers may not see', async () => {
    const essay = await publish('Discussed in a feed');
    const first = await comment(essay.slug, 'A *first* comment with <script>alert(1)</script> in it, and ]]> too.');
    const second = await comment(essay.slug, 'A second comment.');
    const removed = await comment(essay.slug, 'A comment a moderator removes.');
    await t.http
      .post(`/api/moderation/comments/${removed.id}/remove`)
      .set('Authorization', bearer(admin.token))
      .send({})
      .expect(200);
    const res = await t.http.get(`/feeds/articles/${essay.slug}/comments.atom`).expect(200);
    assert.match(res.headers['content-type'], /^application\/atom\+xml/);
    const { feed } = parseAtom(res.text);
    const entries = feed.entry ?? [];
    assert.deepEqual(
      entries.map((e) => href(e.link)),
      [second.id, first.id].map((id) => `${PUBLIC_URL}/comments/${id}`),
      'newest first, the removed one left out',
    );
    assert.equal(entries[1].author?.name, 'Rita <Reader> & Co');
    const content = entries[1].content?.['#text'] ?? '';
    assert.match(content, /<em>first<\/em>/, 'the comment’s html, as content');
    assert.doesNotMatch(content, /<script/i, 'sanitised');
    assert.match(content, /and \]\]&gt; too/, 'the CDATA end marker cannot close the section early');
    assert.equal(shown(entries[1].title), `Rita <Reader> & Co on Discussed in a feed`);
    assert.doesNotMatch(res.text, /A comment a moderator removes/);
    assertErrorBody(await t.http.get('/feeds/articles/no-such-essay/comments.atom'), 404, 'an unknown essay');
  });
});
