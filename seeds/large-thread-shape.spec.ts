import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { quoteStandsIn } from '../src/comments/quote-verification.js';
import { MAX_COMMENTS, THREAD_SPAN_MS, mulberry32, planThread, type ThreadPlan } from './large-thread-shape.js';

describe('large thread shape', () => {
  let plan: ThreadPlan;

  before(() => {
    plan = planThread({ comments: 10_000, seed: 1 });
  });

  it('is the same for the same seed, and different for another', () => {
    assert.deepEqual(planThread({ comments: 10_000, seed: 1 }), plan);
    const other = planThread({ comments: 10_000, seed: 2 });
    assert.notDeepEqual(
      other.comments.map((c) => c.parent),
      plan.comments.map((c) => c.parent),
    );
  });

  it('has the number of comments asked for, and a title that says it', () => {
    assert.equal(plan.comments.length, 10_000);
    assert.equal(plan.title, 'A synthetic essay with a 10,000-comment thread');
    assert.equal(planThread({ comments: 1, seed: 7 }).comments.length, 1);
  });

  it('puts every parent before its child, with depth and time to match', () => {
    for (const [i, c] of plan.comments.entries()) {
      if (c.parent === null) {
        assert.equal(c.depth, 0, `comment ${i}`);
        continue;
      }
      assert.ok(c.parent >= 0 && c.parent < i, `comment ${i} has parent ${c.parent}`);
      const parent = plan.comments[c.parent];
      assert.equal(c.depth, parent.depth + 1, `comment ${i}`);
      assert.ok(c.offsetMs > parent.offsetMs, `comment ${i} is later than its parent`);
      assert.notEqual(parent.status, 'pending', `comment ${i} answers a pending comment`);
    }
    for (let i = 1; i < plan.comments.length; i++) assert.ok(plan.comments[i].offsetMs > plan.comments[i - 1].offsetMs);
    assert.ok(plan.comments[0].offsetMs >= 0);
    assert.ok(plan.comments.at(-1)!.offsetMs <= THREAD_SPAN_MS);
  });

  it('has many top-level comments, many shallow replies and some deep chains', () => {
    const byDepth = new Map<number, number>();
    for (const c of plan.comments) byDepth.set(c.depth, (byDepth.get(c.depth) ?? 0) + 1);
    const topLevel = byDepth.get(0) ?? 0;
    assert.ok(topLevel > 1_200 && topLevel < 1_800, `${topLevel} top-level comments`);
    const shallow = [1, 2, 3].reduce((sum, d) => sum + (byDepth.get(d) ?? 0), 0);
    assert.ok(shallow > 3_000, `${shallow} replies at depth 1 to 3`);
    const deep = plan.comments.filter((c) => c.depth >= 20).length;
    assert.ok(deep > 0, 'some comments at depth 20 or more');
    assert.ok(deep < 2_000, `${deep} comments at depth 20 or more`);
    // The counts add up: every comment is at exactly one depth, and the replies are the comments with a parent.
    assert.equal(
      [...byDepth.values()].reduce((a, b) => a + b, 0),
      plan.comments.length,
    );
    const repliesPerParent = new Map<number, number>();
    for (const c of plan.comments)
      if (c.parent !== null) repliesPerParent.set(c.parent, (repliesPerParent.get(c.parent) ?? 0) + 1);
    assert.equal(
      [...repliesPerParent.values()].reduce((a, b) => a + b, 0),
      plan.comments.length - topLevel,
    );
  });

  it('spreads authors, votes and statuses realistically', () => {
    const authors = new Set(plan.comments.map((c) => c.author));
    assert.ok(authors.size >= 200 && authors.size <= 300, `${authors.size} authors`);
    for (const c of plan.comments) {
      assert.ok(Number.isInteger(c.upvotes) && c.upvotes >= 0);
      assert.ok(Number.isInteger(c.downvotes) && c.downvotes >= 0);
    }
    const controversial = plan.comments.filter(
      (c) =>
        c.upvotes >= 5 && c.downvotes >= 5 && Math.min(c.upvotes, c.downvotes) / Math.max(c.upvotes, c.downvotes) > 0.7,
    );
    assert.ok(controversial.length > 50, `${controversial.length} controversial comments`);
    const totals = plan.comments.map((c) => c.upvotes + c.downvotes).sort((a, b) => a - b);
    assert.ok(totals[totals.length - 1] > 10 * totals[Math.floor(totals.length / 2)], 'votes are skewed');
    for (const status of ['removed', 'deleted', 'pending'] as const) {
      const share = plan.comments.filter((c) => c.status === status).length / plan.comments.length;
      assert.ok(share > 0.005 && share < 0.02, `${status}: ${share}`);
    }
    for (const c of plan.comments.filter((c) => c.status === 'pending')) assert.equal(c.upvotes + c.downvotes, 0);
  });

  it('varies body lengths and quotes the article word for word', () => {
    const lengths = plan.comments.map((c) => c.body.length).sort((a, b) => a - b);
    assert.ok(lengths[0] < 200 && lengths[lengths.length - 1] > 1_000, `${lengths[0]}..${lengths[lengths.length - 1]}`);
    const quoting = plan.comments.filter((c) => c.quote !== null);
    assert.ok(quoting.length > 300, `${quoting.length} quoting comments`);
    for (const c of quoting) {
      const paragraph = plan.paragraphs[c.quote!.block];
      assert.ok(paragraph.includes(c.quote!.text));
      assert.ok(quoteStandsIn(c.quote!.text, paragraph));
      assert.ok(c.body.startsWith(`> ${c.quote!.text}`));
    }
  });

  it('refuses counts outside 1..1,000,000', () => {
    for (const comments of [0, -5, 1.5, MAX_COMMENTS + 1, Number.NaN]) {
      assert.throws(() => planThread({ comments, seed: 1 }), RangeError);
    }
  });

  it('draws uniform numbers in [0, 1) from mulberry32', () => {
    const next = mulberry32(42);
    const draws = Array.from({ length: 10_000 }, () => next());
    assert.ok(draws.every((x) => x >= 0 && x < 1));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
  });
});
