import { type CommentStatus, type Stance } from '../src/comments/comment.entity.js';

/**
 * The pure half of `npm run seed:large`: plans a synthetic article and a thread of N comments from a seed, with no
 * database in sight. The same seed and count always give the same plan.
 *
 * The shape: about 15% of the comments answer the article; a reply picks its parent either by continuing one of a few
 * running back-and-forth exchanges (which is what makes deep chains) or by a small tournament between candidates drawn
 * mostly from recent comments, won by the most popular and shallowest (which makes many wide, shallow sub-threads).
 * Comments come in time order, so a reply is always later than its parent.
 */

export const MIN_COMMENTS = 1;
export const MAX_COMMENTS = 1_000_000;
/** Distinct synthetic authors at most (usernames `synthetic-1` … `synthetic-300`). */
export const AUTHOR_POOL = 300;
/** The thread spans this much time, ending a little before "now". */
export const THREAD_SPAN_MS = 30 * 24 * 3_600_000 - 10 * 60_000;

const TOP_LEVEL_SHARE = 0.15;
/** Share of replies that continue a running exchange. */
const CHAIN_SHARE = 0.25;
/** Running exchanges at any time. */
const CHAIN_SLOTS = 8;
/** Chance that an exchange stops after each new comment in it (mean length 12). */
const CHAIN_END = 0.08;
const ARTICLE_PARAGRAPHS = 10;
const STANCES: Stance[] = ['agree', 'disagree', 'question', 'evidence'];

export interface PlannedQuote {
  /** Index of the quoted paragraph in `ThreadPlan.paragraphs`. */
  block: number;
  /** The paragraph's exact text or a word-aligned span of it. */
  text: string;
}

export interface PlannedComment {
  /** Index of the parent in `ThreadPlan.comments` (always smaller than this comment's own), null at the top level. */
  parent: number | null;
  /** 0 at the top level, the parent's depth + 1 otherwise. */
  depth: number;
  /** 1-based author number: the user `synthetic-<author>`. */
  author: number;
  /** Milliseconds after the thread's start; strictly increasing along the list. */
  offsetMs: number;
  upvotes: number;
  downvotes: number;
  status: CommentStatus;
  stance: Stance | null;
  /** Markdown. */
  body: string;
  quote: PlannedQuote | null;
}

export interface ThreadPlan {
  title: string;
  /** The article's paragraphs (plain text, one line each). */
  paragraphs: string[];
  /** In the order to insert: every parent comes before its replies. */
  comments: PlannedComment[];
}

export interface ThreadPlanOptions {
  comments: number;
  seed: number;
}

/** A small, fast, seeded PRNG (mulberry32): uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function planThread(options: ThreadPlanOptions): ThreadPlan {
  const n = options.comments;
  if (!Number.isInteger(n) || n < MIN_COMMENTS || n > MAX_COMMENTS) {
    throw new RangeError(
      `comments must be an integer from ${MIN_COMMENTS} to ${MAX_COMMENTS.toLocaleString('en-US')}, got ${n}`,
    );
  }
  if (!Number.isInteger(options.seed)) throw new RangeError(`seed must be an integer, got ${options.seed}`);
  // Separate streams, so that the article does not change when the thread's rules do, and the other way round.
  const articleRandom = new Random(mulberry32(options.seed ^ 0x5eed_a471));
  const random = new Random(mulberry32(options.seed));
  const paragraphs = Array.from({ length: ARTICLE_PARAGRAPHS }, () => paragraph(articleRandom, 4, 8, false));
  const offsets = timeOffsets(random, n);

  const comments: PlannedComment[] = [];
  /** How much attention each comment draws: its votes and how often it is picked as a parent. */
  const appeal: number[] = [];
  const replies: number[] = [];
  const chainTips: (number | null)[] = Array.from({ length: CHAIN_SLOTS }, () => null);

  for (let i = 0; i < n; i++) {
    let parent: number | null = null;
    let slot: number | null = null;
    if (i > 0 && !random.chance(TOP_LEVEL_SHARE)) {
      if (random.chance(CHAIN_SHARE)) {
        slot = random.int(CHAIN_SLOTS);
        parent = chainTips[slot] ?? pickParent(random, i, comments, appeal, replies);
      } else {
        parent = pickParent(random, i, comments, appeal, replies);
      }
    }
    // Nobody else sees a pending comment, so nobody answers it: the reply goes one level up.
    while (parent !== null && comments[parent].status === 'pending') parent = comments[parent].parent;
    const depth = parent === null ? 0 : comments[parent].depth + 1;
    const status = pickStatus(random);
    const attention = Math.exp(random.gaussian() * 1.1);
    const votes = status === 'pending' ? { up: 0, down: 0 } : pickVotes(random, attention, i / n, depth);
    const quote = random.chance(parent === null ? 0.25 : 0.05) ? pickQuote(random, paragraphs) : null;
    comments.push({
      parent,
      depth,
      author: pickAuthor(random, comments, parent, slot !== null),
      offsetMs: offsets[i],
      upvotes: votes.up,
      downvotes: votes.down,
      status,
      stance: random.chance(0.45) ? null : random.pick(STANCES),
      body: commentBody(random, quote),
      quote,
    });
    appeal.push(attention);
    replies.push(0);
    if (parent !== null) replies[parent] += 1;
    if (slot !== null && status !== 'pending') chainTips[slot] = random.chance(CHAIN_END) ? null : i;
  }
  return { title: `A synthetic essay with a ${n.toLocaleString('en-US')}-comment thread`, paragraphs, comments };
}

/**
 * A tournament of three candidates, each drawn from the recent comments (an exponential look-back) or, less often,
 * from the whole thread; the most appealing wins, counting the replies it already drew and preferring shallow ones.
 */
function pickParent(
  random: Random,
  count: number,
  comments: PlannedComment[],
  appeal: number[],
  replies: number[],
): number {
  const lookBack = 40 + count * 0.02;
  let best = -1;
  let bestScore = -1;
  for (let k = 0; k < 3; k++) {
    const candidate = random.chance(0.65)
      ? Math.max(0, count - 1 - Math.floor(random.exponential() * lookBack))
      : random.int(count);
    const score = (appeal[candidate] * (1 + 0.6 * replies[candidate])) / (1 + 0.4 * comments[candidate].depth);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** A few prolific authors, a long tail of occasional ones; an exchange is often two people answering each other. */
function pickAuthor(random: Random, comments: PlannedComment[], parent: number | null, inExchange: boolean): number {
  if (inExchange && parent !== null && random.chance(0.6)) {
    const grandparent = comments[parent].parent;
    if (grandparent !== null && comments[grandparent].author !== comments[parent].author)
      return comments[grandparent].author;
  }
  const draw = () => 1 + Math.floor(AUTHOR_POOL * random.next() ** 2.2);
  const author = draw();
  return parent !== null && comments[parent].author === author ? draw() : author;
}

function pickStatus(random: Random): CommentStatus {
  const r = random.next();
  if (r < 0.01) return 'removed';
  if (r < 0.02) return 'deleted';
  if (r < 0.03) return 'pending';
  return 'visible';
}

/**
 * A skewed number of votes (log-normal attention, fewer for late and deep comments), split by a profile: most are
 * liked, some disliked, a few controversial (many votes, evenly split).
 */
function pickVotes(random: Random, attention: number, lateness: number, depth: number): { up: number; down: number } {
  const exposure = (1 - 0.6 * lateness) / (1 + 0.2 * depth);
  const profile = random.next();
  if (profile < 0.05) {
    const total = 6 + Math.round(attention * 30 * exposure);
    const up = Math.round(total * (0.42 + 0.16 * random.next()));
    return { up: Math.max(1, up), down: Math.max(1, total - up) };
  }
  const total = Math.round(attention * 8 * exposure * random.next() * 2);
  const share = profile < 0.15 ? 0.1 + 0.25 * random.next() : 0.7 + 0.28 * random.next();
  const up = Math.round(total * share);
  return { up, down: total - up };
}

/** The whole paragraph now and then, usually a span of 6 to 25 words of it. */
function pickQuote(random: Random, paragraphs: string[]): PlannedQuote {
  const block = random.int(paragraphs.length);
  const words = paragraphs[block].split(' ');
  if (random.chance(0.3) || words.length <= 6) return { block, text: paragraphs[block] };
  const length = Math.min(words.length, 6 + random.int(20));
  const start = random.int(words.length - length + 1);
  return { block, text: words.slice(start, start + length).join(' ') };
}

/** From a sentence to a few paragraphs, with a little Markdown; a quote goes first, as a block quote. */
function commentBody(random: Random, quote: PlannedQuote | null): string {
  const parts: string[] = [];
  if (quote) parts.push(`> ${quote.text}`);
  const size = random.next();
  if (size < 0.25) parts.push(sentence(random));
  else if (size < 0.7) parts.push(paragraph(random, 2, 5));
  else {
    const count = 2 + random.int(3);
    for (let p = 0; p < count; p++) parts.push(paragraph(random, 2, 6));
  }
  if (random.chance(0.05))
    parts.push(Array.from({ length: 2 + random.int(3) }, () => `- ${phrase(random, 3, 8)}`).join('\n'));
  return parts.join('\n\n');
}

/** Sentences of lorem-like English; `markdown` lets a word be emphasised now and then. */
function paragraph(random: Random, min: number, max: number, markdown = true): string {
  return Array.from({ length: min + random.int(max - min + 1) }, () => sentence(random, markdown)).join(' ');
}

function sentence(random: Random, markdown = true): string {
  const words = phrase(random, 6, 22).split(' ');
  if (words.length > 8 && random.chance(0.4)) words[3 + random.int(words.length - 6)] += ',';
  if (markdown && random.chance(0.1)) {
    const w = random.int(words.length);
    if (!words[w].endsWith(',')) words[w] = `*${words[w]}*`;
  }
  const text = words.join(' ').replace(/[a-z]/, (first) => first.toUpperCase());
  return `${text}${random.chance(0.1) ? '?' : '.'}`;
}

function phrase(random: Random, min: number, max: number): string {
  return Array.from({ length: min + random.int(max - min + 1) }, () => random.pick(WORDS)).join(' ');
}

/**
 * Offsets in time order over the whole span: random gaps, short at first (a new essay draws a crowd) and longer
 * later, scaled to the span; at least a millisecond apart so that replies are strictly after their parents.
 */
function timeOffsets(random: Random, n: number): number[] {
  const cumulative: number[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = i / n;
    sum += random.exponential() * (0.25 + 1.5 * x * x);
    cumulative.push(sum);
  }
  const offsets: number[] = [];
  for (let i = 0; i < n; i++) {
    const scaled = Math.floor((cumulative[i] / sum) * THREAD_SPAN_MS);
    offsets.push(i === 0 ? scaled : Math.max(scaled, offsets[i - 1] + 1));
  }
  return offsets;
}

class Random {
  constructor(readonly next: () => number) {}

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Exponential with mean 1. */
  exponential(): number {
    return -Math.log(1 - this.next());
  }

  /** Standard normal (Box–Muller). */
  gaussian(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }
}

const WORDS = `
the of and to in that is it for as with was on be by this are not but at from or have an they which one you were all
we there been can has more when will would so no if what about their out up into than them only other its time some
could these two may then first any like now such our over also new most people after should well where many much
through even because before argument essay reader author claim evidence point history reason question answer case
power state revolution party war peace idea theory practice language meaning truth fact view sense world society
economy market labour class work money trade law right freedom order change movement public private memory culture
book chapter page passage paragraph sentence word line example source account record version story moment century
decade year early late simple clear strong weak fair wrong true false likely unlikely careful broad narrow common
rare real modern ancient political social moral general particular whole important obvious difficult open hidden
think believe argue suggest show prove doubt agree disagree read write quote mean follow explain describe compare
consider notice assume remember forget accept reject support oppose matter seem become remain happen begin continue
perhaps indeed however rather quite almost always never often sometimes still already again yet though although
`
  .split(/\s+/)
  .filter(Boolean);
