import diff from 'fast-diff';
import { foldWhiteSpace } from '../common/markdown/markdown.js';

/**
 * Which blocks of a revised essay are the blocks of the revision before it, so that quotes and margin discussion stay
 * attached to their passage:
 *
 * 1. A block whose text (white space folded) is unchanged keeps its id wherever it moved. Repeated texts pair up in
 *    order.
 * 2. Among the blocks left on both sides, an edited block keeps the id of the old block it is most similar to when
 *    the similarity reaches {@link SAME_PASSAGE}: at least 60% of the longer text is shared, character for character,
 *    once the diff's chance equalities are cleaned up. A corrected typo (~99%), a sentence added to a paragraph of
 *    three (~75%) or a few words rewritten stay the same passage; half a paragraph split off (50%), two paragraphs
 *    merged into one of twice the size (50%) or an unrelated text (well under 30% after clean-up) do not. Pairs are
 *    taken best first; each old id goes to one new block at most. The old block is looked for first between the
 *    unchanged blocks around the new one (where an edit in place leaves it), then anywhere, unless more than
 *    {@link ANYWHERE_PAIRS} pairs are left (a wholesale rewrite: a block both moved and edited there is new).
 * 3. Every other block is new (null here; the caller gives it a fresh id, never one used before).
 */

/** The shared part of the longer text above which an edited block is still the same passage. */
export const SAME_PASSAGE = 0.6;

/**
 * Character bigrams shared (Dice coefficient) below which two texts are not worth diffing: a cheap filter so that a
 * wholesale rewrite does not diff every old block against every new one. Texts at SAME_PASSAGE share far more.
 */
const WORTH_DIFFING = 0.35;

export interface PreviousBlock {
  id: string;
  text: string;
}

/** Pairs of left-over blocks beyond which an edited block is looked for only near where it stood. */
const ANYWHERE_PAIRS = 400;

/** Gives the still unmatched new blocks the id of their most similar candidate, best pairs first. */
function pairUp(
  previous: PreviousBlock[],
  next: { text: string }[],
  ids: (string | null)[],
  taken: Set<number>,
  candidatesOf: (to: number) => number[],
): void {
  const pairs: { from: number; to: number; score: number; distance: number }[] = [];
  for (const [to, block] of next.entries()) {
    if (ids[to] !== null) continue;
    for (const from of candidatesOf(to)) {
      const score = similarity(previous[from].text, block.text);
      if (score >= SAME_PASSAGE) pairs.push({ from, to, score, distance: Math.abs(from - to) });
    }
  }
  pairs.sort((a, b) => b.score - a.score || a.distance - b.distance);
  for (const pair of pairs) {
    if (taken.has(pair.from) || ids[pair.to] !== null) continue;
    ids[pair.to] = previous[pair.from].id;
    taken.add(pair.from);
  }
}

/**
 * The old positions that bound where new block `to` stood: those of the nearest kept blocks before and after it
 * (exclusive), widened to the whole essay's span when a move crossed them.
 */
function gapAround(to: number, ids: (string | null)[], previous: PreviousBlock[]): [number, number] {
  const oldIndex = new Map(previous.map((block, index) => [block.id, index]));
  let low = -1;
  for (let i = to - 1; i >= 0; i--) {
    const id = ids[i];
    if (id !== null) {
      low = oldIndex.get(id) ?? -1;
      break;
    }
  }
  let high = previous.length;
  for (let i = to + 1; i < ids.length; i++) {
    const id = ids[i];
    if (id !== null) {
      high = oldIndex.get(id) ?? previous.length;
      break;
    }
  }
  return low < high ? [low, high] : [-1, previous.length];
}

/** For each new block, in order, the id it keeps from the previous revision, or null for a new block. */
export function matchBlocks(previous: PreviousBlock[], next: { text: string }[]): (string | null)[] {
  const ids: (string | null)[] = next.map(() => null);
  const taken = new Set<number>();
  const byText = new Map<string, number[]>();
  for (const [index, block] of previous.entries()) {
    const key = foldWhiteSpace(block.text);
    byText.set(key, [...(byText.get(key) ?? []), index]);
  }
  for (const [index, block] of next.entries()) {
    const waiting = byText.get(foldWhiteSpace(block.text));
    const match = waiting?.shift();
    if (match === undefined) continue;
    ids[index] = previous[match].id;
    taken.add(match);
  }

  // Edited blocks are looked for first between the unchanged blocks around them (where an edit leaves them), then,
  // for what is left, anywhere: unless that is a wholesale rewrite, which would cost a diff per pair.
  pairUp(previous, next, ids, taken, (to) => {
    const [low, high] = gapAround(to, ids, previous);
    return previous.flatMap((_, from) => (from > low && from < high && !taken.has(from) ? [from] : []));
  });
  const leftNew = ids.filter((id) => id === null).length;
  const leftOld = previous.length - taken.size;
  if (leftNew * leftOld <= ANYWHERE_PAIRS)
    pairUp(previous, next, ids, taken, () => previous.flatMap((_, from) => (taken.has(from) ? [] : [from])));
  return ids;
}

/**
 * How much of the longer of two texts the other shares, from 0 to 1: the characters a diff finds equal (after its
 * semantic clean-up, which drops the short equalities any two English texts have by chance) over the longer length,
 * white space folded.
 */
export function similarity(a: string, b: string): number {
  const left = foldWhiteSpace(a);
  const right = foldWhiteSpace(b);
  const longer = Math.max(left.length, right.length);
  if (longer === 0) return 1;
  if (Math.min(left.length, right.length) / longer < SAME_PASSAGE) return 0;
  if (bigramDice(left, right) < WORTH_DIFFING) return 0;
  let shared = 0;
  for (const [operation, text] of diff(left, right, undefined, true))
    if (operation === diff.EQUAL) shared += text.length;
  return shared / longer;
}

/** The Dice coefficient of the two texts' character bigrams (lower case), counted with repeats. */
function bigramDice(a: string, b: string): number {
  if (a.length < 2 || b.length < 2) return a.toLowerCase() === b.toLowerCase() ? 1 : 0.5;
  const counts = new Map<string, number>();
  const lowerA = a.toLowerCase();
  const lowerB = b.toLowerCase();
  for (let i = 0; i < lowerA.length - 1; i++) {
    const pair = lowerA.slice(i, i + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  let shared = 0;
  for (let i = 0; i < lowerB.length - 1; i++) {
    const pair = lowerB.slice(i, i + 2);
    const left = counts.get(pair) ?? 0;
    if (left > 0) {
      shared++;
      counts.set(pair, left - 1);
    }
  }
  return (2 * shared) / (lowerA.length - 1 + lowerB.length - 1);
}
