import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type Account, ADMIN_ENV, assertErrorBody, bearer, newUser, signInAdmin } from './helpers/accounts.js';
import { Follower } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Block {
  id: string;
  kind: string;
  text: string;
  commentCount: number;
}

const FIRST = [
  '# The argument',
  '',
  'The soviets were the organs of the revolution, and the party followed them into October.',
  '',
  'Workers elected delegates in every factory; soldiers did the same in every regiment.',
  '',
  'By the summer the soviets held more authority than the Provisional Government ever had.',
].join('\n');

describe('revising an essay (PATCH /api/articles/:slug)', () => {
  let t: TestApp;
  let admin: Account;
  let reader: Account;
  const sockets: Follower[] = [];

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV, seed: true });
    admin = await signInAdmin(t);
    reader = await newUser(t);
  });

  after(async () => {
    for (const socket of sockets) socket.socket.close();
    await t.close();
  });

  async function publish(body = FIRST): Promise<{ slug: string; blocks: Block[]; updatedAt: string }> {
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title: `Essay ${randomBytes(4).toString('hex')}`, author: 'A. Writer', body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { slug: string; blocks: Block[]; updatedAt: string };
  }

  function revise(slug: string, fields: Record<string, unknown>, token = admin.token) {
    return t.http.patch(`/api/articles/${slug}`).set('Authorization', bearer(token)).send(fields);
  }

  it('starts at revision 1 with updatedAt and canonicalUrl, and lists that revision', async () => {
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title: 'Canonical', author: 'A. Writer', body: FIRST, canonicalUrl: 'https://example.org/essay' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.revision, 1);
    assert.equal(res.body.canonicalUrl, 'https://example.org/essay');
    assert.match(res.body.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const list = await t.http.get(`/api/articles/${res.body.slug}/revisions`).expect(200);
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].revision, 1);
    assert.equal(list.body.items[0].by.username, admin.username);
  });

  it('makes a revision of a new body: edited and moved blocks keep their ids, new ones get new ids', async () => {
    const essay = await publish();
    const [heading, soviets, workers, summer] = essay.blocks;
    const res = await revise(essay.slug, {
      body: [
        '# The argument',
        '',
        'By the summer the soviets held more authority than the Provisional Government ever had.',
        '',
        'The soviets were the organs of the revolution, and the party folowed them into October.',
        '',
        'Workers elected delegates in every factory; soldiers did the same in every regiment. Peasants came later.',
        '',
        'A new closing paragraph about the calendar, unlike anything before it.',
      ].join('\n'),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.revision, 2);
    const ids = (res.body.blocks as Block[]).map((b) => b.id);
    assert.deepEqual(ids.slice(0, 4), [heading.id, summer.id, soviets.id, workers.id]);
    assert.ok(!essay.blocks.some((b) => b.id === ids[4]), 'a new block has a new id');
    assert.ok(res.body.updatedAt >= essay.updatedAt);

    const list = await t.http.get(`/api/articles/${essay.slug}/revisions`).expect(200);
    assert.deepEqual(
      list.body.items.map((r: { revision: number }) => r.revision),
      [2, 1],
    );
    const first = await t.http.get(`/api/articles/${essay.slug}/revisions/1`).expect(200);
    assert.deepEqual(
      first.body.blocks.map((b: Block) => b.id),
      essay.blocks.map((b) => b.id),
    );
    assert.equal(first.body.blocks[2].text, workers.text);
    await t.http.get(`/api/articles/${essay.slug}/revisions/3`).expect(404);
    await t.http.get(`/api/articles/${essay.slug}/revisions/abc`).expect(404);
  });

  it('never reuses an id: a block deleted and written again is new', async () => {
    const essay = await publish();
    const without = FIRST.split('\n\n').slice(0, 3).join('\n\n');
    const deleted = await revise(essay.slug, { body: without });
    assert.equal(deleted.status, 200);
    const again = await revise(essay.slug, {
      body: `${without}\n\nA brand new closing thought, not the old one at all.`,
    });
    const back = await revise(essay.slug, { body: FIRST });
    assert.equal(again.status, 200);
    assert.equal(back.status, 200);
    const last = (back.body.blocks as Block[])[3];
    assert.notEqual(last.id, essay.blocks[3].id);
    assert.equal(back.body.revision, 4);
  });

  it('changes nothing for the same body, nor for its own source, and answers the source to admins only', async () => {
    const essay = await publish();
    const before = await t.http.get(`/api/articles/${essay.slug}`).expect(200);
    const same = await revise(essay.slug, { body: FIRST });
    assert.equal(same.status, 200);
    assert.equal(same.body.revision, 1);
    assert.equal(same.body.updatedAt, before.body.updatedAt);
    assert.equal(same.body.seq, before.body.seq);

    const source = await t.http.get(`/api/articles/${essay.slug}/source`).set('Authorization', bearer(admin.token));
    assert.equal(source.status, 200);
    assert.equal(source.body.body, FIRST);
    const denied = await t.http.get(`/api/articles/${essay.slug}/source`).set('Authorization', bearer(reader.token));
    assertErrorBody(denied, 403);
    assertErrorBody(await t.http.get(`/api/articles/${essay.slug}/source`), 401);
  });

  it('gives the seeded essays a source that, sent back, is no change', async () => {
    const list = await t.http.get('/api/articles?limit=100').expect(200);
    const seeded = list.body.items.filter(
      (a: { slug: string }) => !a.slug.startsWith('essay-') && a.slug !== 'canonical',
    );
    assert.ok(seeded.length >= 4);
    for (const article of seeded.slice(0, 4) as { slug: string }[]) {
      const source = await t.http.get(`/api/articles/${article.slug}/source`).set('Authorization', bearer(admin.token));
      assert.equal(source.status, 200);
      const res = await revise(article.slug, { body: source.body.body });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.revision, 1, article.slug);
    }
  });

  it('changes other fields without a revision, and refuses readers, bad fields and unknown essays', async () => {
    const essay = await publish();
    const res = await revise(essay.slug, { title: 'A new title', canonicalUrl: 'https://example.org/x', tags: ['a'] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      [res.body.title, res.body.canonicalUrl, res.body.tags, res.body.revision],
      ['A new title', 'https://example.org/x', ['a'], 1],
    );
    assert.equal(res.body.slug, essay.slug);
    assertErrorBody(await revise(essay.slug, { title: 'x' }, reader.token), 403);
    assertErrorBody(await t.http.patch(`/api/articles/${essay.slug}`).send({ title: 'x' }), 401);
    assertErrorBody(await revise(essay.slug, { canonicalUrl: 'javascript:alert(1)' }), 400);
    assertErrorBody(await revise(essay.slug, { slug: 'other' }), 400);
    assertErrorBody(await revise(essay.slug, { body: '---' }), 400);
    assertErrorBody(await revise('no-such-essay', { title: 'x' }), 404);
  });

  it('tells followers with a numbered article.revised', async () => {
    const essay = await publish();
    const follower = await Follower.connect(t.baseUrl);
    sockets.push(follower);
    const ack = await follower.join(essay.slug);
    const res = await revise(essay.slug, { body: `${FIRST}\n\nOne more paragraph for the followers.` });
    assert.equal(res.status, 200);
    const [event] = await follower.waitFor(1, 'article.revised');
    assert.equal(event.payload.revision, 2);
    assert.equal(event.payload.seq, (ack.seq as number) + 1);
    assert.equal(res.body.seq, event.payload.seq);
  });

  it('keeps revisions append-only in the database', async () => {
    const essay = await publish();
    const rows: { id: string }[] = await t.dataSource.query('SELECT id FROM articles WHERE slug = $1', [essay.slug]);
    const [{ id }] = rows;
    await assert.rejects(
      t.dataSource.query(`UPDATE article_revisions SET title = 'forged' WHERE article_id = $1`, [id]),
      /append-only/,
    );
    await assert.rejects(
      t.dataSource.query('DELETE FROM article_revisions WHERE article_id = $1', [id]),
      /append-only/,
    );
  });
});
