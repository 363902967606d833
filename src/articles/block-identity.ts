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
 *    taken best first; each old id goes to one new block at most.
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

  const candidates: { from: number; to: number; score: number; distance: number }[] = [];
  const leftOld = previous.flatMap((block, index) => (taken.has(index) ? [] : [{ index, text: block.text }]));
  for (const [to, block] of next.entries()) {
    if (ids[to] !== null) continue;
    for (const old of leftOld) {
      const score = similarity(old.text, block.text);
      if (score >= SAME_PASSAGE) candidates.push({ from: old.index, to, score, distance: Math.abs(old.index - to) });
    }
  }
  candidates.sort((a, b) => b.score - a.score || a.distance - b.distance);
  for (const candidate of candidates) {
    if (taken.has(candidate.from) || ids[candidate.to] !== null) continue;
    ids[candidate.to] = previous[candidate.from].id;
    taken.add(candidate.from);
  }
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
