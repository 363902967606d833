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
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Stances {
  agree: number;
  disagree: number;
  question: number;
  evidence: number;
}

interface Block {
  id: string;
  text: string;
  commentCount: number;
  stances: Stances;
}

const ESSAY = [
  'The soviets were the organs of the revolution, and the party followed them into October.',
  '',
  'By the summer the soviets held more authority than the Provisional Government ever had.',
].join('\n');

const none: Stances = { agree: 0, disagree: 0, question: 0, evidence: 0 };

describe('stances that add up', () => {
  let t: TestApp;
  let admin: Account;
  let moderator: Account;
  let alice: Account;
  let bob: Account;

  before(async () => {
    t = await startTestApp({ env: ADMIN_ENV });
    admin = await signInAdmin(t);
    moderator = await withRole(t, admin.token, 'moderator');
    alice = await newUser(t);
    bob = await newUser(t);
  });

  after(() => t.close());

  async function publish(): Promise<{ slug: string; blocks: Block[] }> {
    const res = await t.http
      .post('/api/articles')
      .set('Authorization', bearer(admin.token))
      .send({ title: `Stances ${randomBytes(4).toString('hex')}`, author: 'A. Writer', body: ESSAY });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.stances, none);
    assert.deepEqual(res.body.blocks[0].stances, none);
    return res.body as { slug: string; blocks: Block[] };
  }

  async function post(who: Account, slug: string, fields: Record<string, unknown>): Promise<{ id: string }> {
    const res = await t.http
      .post(`/api/articles/${slug}/comments`)
      .set('Authorization', bearer(who.token))
      .send({ body: `A comment ${randomBytes(3).toString('hex')}`, ...fields });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string };
  }

  async function essay(slug: string): Promise<{ stances: Stances; blocks: Block[] }> {
    return (await t.http.get(`/api/articles/${slug}`).expect(200)).body as { stances: Stances; blocks: Block[] };
  }

  function moderate(action: 'remove' | 'restore' | 'approve', id: string) {
    return t.http
      .post(`/api/moderation/comments/${id}/${action}`)
      .set('Authorization', bearer(moderator.token))
      .send({ reason: 'A test of the counters' })
      .expect(200);
  }

  it('counts top-level stances on the essay and quoting comments’ stances on their block', async () => {
    const { slug, blocks } = await publish();
    const agree = await post(alice, slug, { stance: 'agree' });
    await post(bob, slug, {
      stance: 'disagree',
      quote: { source: 'article', blockId: blocks[1].id, text: 'the soviets held' },
    });
    await post(bob, slug, { stance: 'question' });
    await post(alice, slug, {
      stance: 'disagree',
      parentId: agree.id,
      quote: { source: 'article', blockId: blocks[1].id, text: 'more authority' },
    });
    await post(alice, slug, { quote: { source: 'article', blockId: blocks[0].id, text: 'the party' } });

    const now = await essay(slug);
    assert.deepEqual(
      now.stances,
      { agree: 1, disagree: 1, question: 1, evidence: 0 },
      'a reply is not towards the essay',
    );
    assert.deepEqual(now.blocks[1].stances, { agree: 0, disagree: 2, question: 0, evidence: 0 });
    assert.equal(now.blocks[1].commentCount, 2);
    assert.deepEqual(now.blocks[0].stances, none);
    assert.equal(now.blocks[0].commentCount, 1);
  });

  it('moves the counts when a comment is removed, restored, deleted, or held and approved', async () => {
    const { slug, blocks } = await publish();
    const quote = { source: 'article', blockId: blocks[0].id, text: 'the party followed them' };
    const evidence = await post(alice, slug, { stance: 'evidence', quote });
    assert.deepEqual((await essay(slug)).stances.evidence, 1);

    await moderate('remove', evidence.id);
    let now = await essay(slug);
    assert.deepEqual([now.stances.evidence, now.blocks[0].stances.evidence, now.blocks[0].commentCount], [0, 0, 0]);
    await moderate('restore', evidence.id);
    now = await essay(slug);
    assert.deepEqual([now.stances.evidence, now.blocks[0].stances.evidence, now.blocks[0].commentCount], [1, 1, 1]);

    await t.http.delete(`/api/comments/${evidence.id}`).set('Authorization', bearer(alice.token)).expect(204);
    now = await essay(slug);
    assert.deepEqual([now.stances.evidence, now.blocks[0].stances.evidence], [0, 0]);

    await t.http
      .patch(`/api/articles/${slug}/settings`)
      .set('Authorization', bearer(moderator.token))
      .send({ premoderation: true })
      .expect(200);
    const held = await post(bob, slug, { stance: 'question', quote });
    assert.deepEqual((await essay(slug)).stances, none, 'a held comment counts nowhere');
    await moderate('approve', held.id);
    now = await essay(slug);
    assert.deepEqual([now.stances.question, now.blocks[0].stances.question], [1, 1]);
  });

  it('moves a block’s stances with the quotes anchored to it after a revision', async () => {
    const { slug, blocks } = await publish();
    await post(alice, slug, {
      stance: 'agree',
      quote: { source: 'article', blockId: blocks[1].id, text: 'more authority than the Provisional Government' },
    });
    const revised = await t.http.patch(`/api/articles/${slug}`).set('Authorization', bearer(admin.token)).send({
      body: 'A new opening.\n\nBy the summer the soviets held more authority than the Provisional Government ever had.',
    });
    assert.equal(revised.status, 200, JSON.stringify(revised.body));
    const moved = (revised.body.blocks as Block[]).find((b) => b.id === blocks[1].id);
    assert.deepEqual(moved?.stances, { ...none, agree: 1 });
    assert.deepEqual(revised.body.stances, { ...none, agree: 1 });
  });

  it('filters the thread by stance, and refuses an unknown one', async () => {
    const { slug } = await publish();
    const agree = await post(alice, slug, { stance: 'agree' });
    await post(bob, slug, { stance: 'disagree' });
    await post(bob, slug, {});
    const reply = await post(bob, slug, { stance: 'disagree', parentId: agree.id });
    const removed = await post(bob, slug, { stance: 'agree' });
    await moderate('remove', removed.id);

    const res = await t.http.get(`/api/articles/${slug}/comments?stance=agree`).expect(200);
    assert.deepEqual(
      res.body.items.map((c: { id: string }) => c.id),
      [agree.id],
    );
    assert.deepEqual(
      res.body.items[0].replies.map((c: { id: string }) => c.id),
      [reply.id],
      'replies are not filtered',
    );
    const mod = await t.http
      .get(`/api/articles/${slug}/comments?stance=agree&sort=old`)
      .set('Authorization', bearer(moderator.token))
      .expect(200);
    assert.deepEqual(
      mod.body.items.map((c: { id: string }) => c.id),
      [agree.id, removed.id],
    );
    assertErrorBody(await t.http.get(`/api/articles/${slug}/comments?stance=maybe`), 400);
  });
});
