import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  type Account,
  ADMIN_ENV,
  assertErrorBody,
  bearer,
  newUser,
  signInAdmin,
  withRole,
} from './helpers/accounts.js';
import { type ArticleFixture, Fixtures } from './helpers/fixtures.js';
import { CORPUS, XSS, assertSafeHtml } from './helpers/hostile-strings.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface ResultJson {
  kind: 'article' | 'comment';
  article: { id: string; slug: string; title: string };
  comment: { id: string; body: string | null; status: string; author: { username: string } | null } | null;
  snippet: string;
}

/** A word no other test uses (letters only: the english configuration keeps it as it is). */
const word = () => `zq${[...randomBytes(5)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`;

describe('GET /api/search', () => {
  let t: TestApp;
  let fx: Fixtures;
  let moderator: Account;
  let alice: Account;
  let bob: Account;
  let essay: ArticleFixture;

  const search = (who: Account | null, query: Record<string, string | number>) => {
    const req = t.http.get('/api/search').query(query);
    return who ? req.set('Authorization', bearer(who.token)) : req;
  };
  const found = async (who: Account | null, q: string, extra: Record<string, string | number> = {}) =>
    (await search(who, { q, limit: 100, ...extra }).expect(200)).body.items as ResultJson[];
  const commentIds = (items: ResultJson[]) => items.map((i) => i.comment?.id);

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    fx = new Fixtures(t.app);
    const admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    alice = await newUser(t);
    bob = await newUser(t);
    essay = await fx.newArticle();
  });

  after(() => t.close());

  it('finds a comment by its words only for those who may read its body', async () => {
    const w = word();
    const comment = async (status: 'visible' | 'pending' | 'removed' | 'deleted') =>
      (await fx.newComment({ article: essay, authorId: alice.id, status, body: `${status} ${w} comment` })).id;
    const visible = await comment('visible');
    const pending = await comment('pending');
    const removed = await comment('removed');
    await comment('deleted');
    assert.deepEqual(commentIds(await found(null, w)), [visible]);
    assert.deepEqual(commentIds(await found(bob, w)), [visible]);
    assert.deepEqual(new Set(commentIds(await found(alice, w))), new Set([visible, pending]));
    assert.deepEqual(new Set(commentIds(await found(moderator, w))), new Set([visible, pending, removed]));
    const mine = (await found(alice, w)).find((i) => i.comment?.id === pending);
    assert.equal(mine?.comment?.status, 'pending');
    assert.equal(mine?.comment?.body, `pending ${w} comment`);
    const modView = (await found(moderator, w)).find((i) => i.comment?.id === removed);
    assert.equal(modView?.comment?.body, `removed ${w} comment`);
  });

  it('finds a new comment at once, and an edited one by its new words and not its old', async () => {
    const [before, after] = [word(), word()];
    const posted = await t.http
      .post(`/api/articles/${essay.slug}/comments`)
      .set('Authorization', bearer(alice.token))
      .send({ body: `First draft with ${before}.` })
      .expect(201);
    assert.deepEqual(commentIds(await found(null, before)), [posted.body.id]);
    await t.http
      .patch(`/api/comments/${posted.body.id}`)
      .set('Authorization', bearer(alice.token))
      .send({ body: `Second thoughts with ${after}.` })
      .expect(200);
    assert.deepEqual(await found(null, before), []);
    const items = await found(null, after);
    assert.deepEqual(commentIds(items), [posted.body.id]);
    assert.equal(items[0].comment?.body, `Second thoughts with ${after}.`);
  });

  it('follows a comment’s status at once: approved, removed, restored, deleted by its author', async () => {
    const w = word();
    const id = (await fx.newComment({ article: essay, authorId: alice.id, status: 'pending', body: `held ${w}` })).id;
    const act = (action: string) =>
      t.http
        .post(`/api/moderation/comments/${id}/${action}`)
        .set('Authorization', bearer(moderator.token))
        .send({})
        .expect(200);
    assert.deepEqual(await found(null, w), []);
    await act('approve');
    assert.deepEqual(commentIds(await found(null, w)), [id]);
    await act('remove');
    assert.deepEqual(await found(null, w), []);
    assert.deepEqual(commentIds(await found(moderator, w)), [id]);
    await act('restore');
    assert.deepEqual(commentIds(await found(bob, w)), [id]);
    await t.http.delete(`/api/comments/${id}`).set('Authorization', bearer(alice.token)).expect(204);
    assert.deepEqual(await found(alice, w), []);
    assert.deepEqual(await found(moderator, w), []);
  });

  it('reads the query as a web search: every word, "phrases", -excluded, or', async () => {
    const [a, b, c] = [word(), word(), word()];
    const ab = (await fx.newComment({ article: essay, body: `${a} and then ${b}` })).id;
    const baOnly = (await fx.newComment({ article: essay, body: `${b} ${a}` })).id;
    const aOnly = (await fx.newComment({ article: essay, body: `just ${a}` })).id;
    const cOnly = (await fx.newComment({ article: essay, body: `only ${c}` })).id;
    assert.deepEqual(new Set(commentIds(await found(null, `${a} ${b}`))), new Set([ab, baOnly]));
    assert.deepEqual(commentIds(await found(null, `"${b} ${a}"`)), [baOnly]);
    assert.deepEqual(new Set(commentIds(await found(null, `${a} -${b}`))), new Set([aOnly]));
    assert.deepEqual(new Set(commentIds(await found(null, `${c} or ${b}`))), new Set([ab, baOnly, cOnly]));
    assert.deepEqual(await found(null, 'the and of'), [], 'stop words alone find nothing');
  });

  it('finds a phrase only where its words stand side by side, in order, whatever surrounds it', async () => {
    const [a, b, c, d] = [word(), word(), word(), word()];
    const body = async (text: string) => (await fx.newComment({ article: essay, body: text })).id;
    const adjacent = await body(`Some ${a} ${b} ${c} here.`);
    const hyphen = await body(`A ${a}-${b} and then ${d}.`);
    const across = await body(`End with ${a}. ${b} starts the next.`);
    const reversed = await body(`${b} ${a} in the wrong order`);
    const apart = await body(`${a} stands apart from ${b}`);
    const gap = await body(`the ${a} of ${b}`);
    const all = (q: string) => found(null, q).then((items) => new Set(commentIds(items)));
    // Punctuation between words is no gap; a stop word is (and the phrase with the stop word finds that gap).
    assert.deepEqual(await all(`"${a} ${b}"`), new Set([adjacent, hyphen, across]));
    assert.deepEqual(await all(`"${a} ${b} ${c}"`), new Set([adjacent]));
    assert.deepEqual(await all(`"${a} of ${b}"`), new Set([gap]));
    assert.deepEqual(await all(`"${a} ${b}" ${d}`), new Set([hyphen]));
    assert.deepEqual(await all(`"${b} ${a}" -"${a} ${b}"`), new Set([reversed]));
    assert.deepEqual(await all(`"${a} ${b}" or "${b} ${a}"`), new Set([adjacent, hyphen, across, reversed]));
    assert.deepEqual(await all(`${a} -"${a} ${b}"`), new Set([reversed, apart, gap]));
    assert.deepEqual(await all(`"${b} ${c}" "${a} ${b}"`), new Set([adjacent]));
  });

  it('ranks the better match first, and finds an essay by words anywhere in it', async () => {
    const w = word();
    const once = (await fx.newComment({ article: essay, body: `${w} once, among many other words said here` })).id;
    const thrice = (await fx.newComment({ article: essay, body: `${w} ${w} ${w}` })).id;
    assert.deepEqual(commentIds(await found(null, w)), [thrice, once]);

    const [first, second] = [word(), word()];
    const other = await fx.newArticle([`Opening ${first} paragraph.`, `A later paragraph with ${second}.`]);
    // The essay's words span its paragraphs: both required, in different blocks.
    const items = await found(null, `${first} ${second}`);
    assert.deepEqual(
      items.map((i) => [i.kind, i.article.slug]),
      [['article', other.slug]],
    );
    assert.equal(items[0].comment, null);
    assert.match(items[0].snippet, new RegExp(`<mark>${first}</mark>`));
  });

  it('keeps one essay with `article`, and answers 404 for an unknown one', async () => {
    const w = word();
    const elsewhere = await fx.newArticle();
    const here = (await fx.newComment({ article: essay, body: w })).id;
    await fx.newComment({ article: elsewhere, body: w });
    assert.equal((await found(null, w)).length, 2);
    assert.deepEqual(commentIds(await found(null, w, { article: essay.slug })), [here]);
    assertErrorBody(await search(null, { q: w, article: 'no-such-essay' }).expect(404), 404);
  });

  it('pages through equal ranks without losing or repeating a match', async () => {
    const w = word();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await fx.newComment({ article: essay, body: `same ${w} words` })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const res = await search(null, { q: w, limit: 3, ...(cursor ? { cursor } : {}) }).expect(200);
      seen.push(...commentIds(res.body.items as ResultJson[]).map(String));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    assert.deepEqual(seen, [...ids].reverse(), 'equal ranks: the newest (highest id) first, each once');
    const first = await search(null, { q: w, limit: 3 }).expect(200);
    assertErrorBody(await search(null, { q: `${w} other`, cursor: first.body.nextCursor }).expect(400), 400);
    assertErrorBody(await search(null, { q: w, cursor: 'not-a-cursor' }).expect(400), 400);
  });

  it('returns snippets whose only markup is <mark> around the matched words, whatever the comment held', async () => {
    const w = word();
    for (const [, hostile] of XSS) await fx.newComment({ article: essay, body: `${hostile} ${w} ${hostile}` });
    await fx.newComment({ article: essay, body: `${w} \uE000 fake marker \uE001 <mark>x</mark>` });
    const items = await found(null, w);
    assert.equal(items.length, XSS.length + 1);
    for (const item of items) {
      assertSafeHtml(item.snippet, item.snippet);
      assert.match(item.snippet, new RegExp(`<mark>${w}</mark>`));
      const tags = item.snippet.match(/<[^>]*>/g) ?? [];
      assert.ok(
        tags.every((tag) => tag === '<mark>' || tag === '</mark>'),
        `only marks: ${item.snippet}`,
      );
      assert.equal(tags.filter((tag) => tag === '<mark>').length, tags.filter((tag) => tag === '</mark>').length);
    }
  });

  it('shows an ellipsis where a snippet leaves out the start or the end of a comment, and none where it does not', async () => {
    const w = word();
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `filler${i}`).join(' ');
    const middle = await fx.newComment({ article: essay, body: `${filler(60)} the ${w} stands here. ${filler(60)}` });
    const whole = await fx.newComment({ article: essay, body: `The ${w} ended.` });
    const opening = await fx.newComment({ article: essay, body: `${w} opens this one. ${filler(60)}` });
    const asked = await fx.newComment({ article: essay, body: `“Is the ${w} over?”` });
    const snippets = new Map((await found(null, w)).map((item) => [item.comment?.id, item.snippet]));
    assert.match(snippets.get(middle.id) ?? '', new RegExp(`^… .*<mark>${w}</mark>.* …$`));
    // A whole comment reads as written, its punctuation at the ends too (ts_headline drops it).
    assert.equal(snippets.get(whole.id), `The <mark>${w}</mark> ended.`);
    assert.equal(snippets.get(asked.id), `“Is the <mark>${w}</mark> over?”`);
    assert.match(snippets.get(opening.id) ?? '', new RegExp(`^<mark>${w}</mark> opens this one.* …$`));
  });

  it('answers a hostile query with a page or a 400, never an error of its own', async () => {
    for (const [label, hostile] of CORPUS) {
      const res = await search(null, { q: [...hostile].slice(0, 200).join('') });
      if (res.status === 200) assert.ok(Array.isArray(res.body.items), label);
      else assertErrorBody(res, 400, label);
      // A path cannot carry a lone surrogate: as UTF-8 it becomes U+FFFD.
      const name = Buffer.from(hostile.slice(0, 100), 'utf8').toString('utf8');
      const profile = await t.http.get(`/api/users/${encodeURIComponent(name)}`);
      assert.ok([400, 404].includes(profile.status), `${label}: ${profile.status}`);
    }
  });

  it('answers 400 to a missing, empty, blank or oversized query and to bad limits', async () => {
    const bad: Record<string, string | number>[] = [
      {},
      { q: '' },
      { q: '   ' },
      { q: 'x'.repeat(201) },
      { q: 'ok', limit: 0 },
      { q: 'ok', limit: 101 },
      { q: 'ok', other: 1 },
    ];
    for (const query of bad) {
      assertErrorBody(await search(null, query).expect(400), 400);
    }
    await search(null, { q: 'x'.repeat(200) }).expect(200);
  });
});

describe('GET /api/search, a very common query', () => {
  // SEARCH_COMMON_CAP=3: a query matching at least 3 of the 15 newest comments one may read ranks its 3 newest matches.
  let t: TestApp;
  let fx: Fixtures;

  const found = async (q: string, extra: Record<string, string | number> = {}) =>
    (
      await t.http
        .get('/api/search')
        .query({ q, limit: 100, ...extra })
        .expect(200)
    ).body.items as ResultJson[];
  const commentIds = (items: ResultJson[]) => items.map((i) => i.comment?.id);
  const fillers = async (article: ArticleFixture, n: number) => {
    for (let i = 0; i < n; i++) await fx.newComment({ article, body: `filler ${word()}` });
  };

  before(async () => {
    t = await startTestApp({ env: { SEARCH_COMMON_CAP: '3' } });
    fx = new Fixtures(t.app);
  });

  after(() => t.close());

  it('ranks only the newest matches when enough of the newest comments match, and pages within them', async () => {
    const essay = await fx.newArticle();
    const w = word();
    const oldBest = (await fx.newComment({ article: essay, body: `${w} ${w} ${w} ${w}` })).id;
    const [once, twice, latest] = [
      (await fx.newComment({ article: essay, body: `${w} once` })).id,
      (await fx.newComment({ article: essay, body: `${w} and ${w} again` })).id,
      (await fx.newComment({ article: essay, body: `${w} at last` })).id,
    ];
    // Four of the newest fifteen match: the three newest are ranked, the best and oldest is not listed, and the
    // answer says so.
    assert.deepEqual(commentIds(await found(w)), [twice, latest, once]);
    const answer = await t.http.get('/api/search').query({ q: w }).expect(200);
    assert.equal(answer.body.newestMatchesOnly, 3);
    assert.ok(!commentIds(await found(w)).includes(oldBest));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const res = await t.http
        .get('/api/search')
        .query({ q: w, limit: 2, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...commentIds(res.body.items as ResultJson[]).map(String));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    assert.deepEqual(seen, [twice, latest, once], 'two pages, each match once');
  });

  it('ranks every match, however old, when fewer of the newest comments match', async () => {
    const essay = await fx.newArticle();
    const w = word();
    const oldBest = (await fx.newComment({ article: essay, body: `${w} ${w} ${w}` })).id;
    const oldOnce = (await fx.newComment({ article: essay, body: `${w} long ago` })).id;
    await fillers(essay, 15);
    const recent = (await fx.newComment({ article: essay, body: `${w} lately` })).id;
    // Three matches in all (as many as the cap), but only one among the newest fifteen: not a common query.
    assert.deepEqual(commentIds(await found(w)), [oldBest, recent, oldOnce]);
    assert.equal((await t.http.get('/api/search').query({ q: w }).expect(200)).body.newestMatchesOnly, null);
  });

  it('tells a common query within the searched essay and among the comments the viewer may read', async () => {
    const [essay, other] = [await fx.newArticle(), await fx.newArticle()];
    const w = word();
    const oldBest = (await fx.newComment({ article: essay, body: `${w} ${w} ${w}` })).id;
    const weak: string[] = [];
    for (let i = 0; i < 3; i++) weak.push((await fx.newComment({ article: essay, body: `${w} number ${i}` })).id);
    for (let i = 0; i < 3; i++) await fx.newComment({ article: other, status: 'pending', body: `${w} held ${i}` });
    await fillers(other, 15);
    // Across every essay the newest fifteen are the other essay's, and its pending matches are not the reader's:
    // every match is ranked. Within the essay, four of its newest comments match: its three newest are ranked.
    assert.deepEqual(commentIds(await found(w)), [oldBest, ...[...weak].reverse()]);
    assert.deepEqual(commentIds(await found(w, { article: essay.slug })), [...weak].reverse());
  });
});
