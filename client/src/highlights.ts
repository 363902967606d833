import type { Block, Comment } from './api.js';
import { Store } from './store.js';

export type Highlight = Block['highlights'][number];

const SETTING = 'essay-forum:highlights';

function storedSetting(): boolean {
  try {
    return localStorage.getItem(SETTING) !== 'off';
  } catch {
    return true;
  }
}

/** Whether quoted passages are marked in the essay's text: on unless the reader turned them off (remembered). */
export const highlightsOn = new Store<boolean>(storedSetting());

export function setHighlights(on: boolean): void {
  highlightsOn.set(on);
  try {
    if (on) localStorage.removeItem(SETTING);
    else localStorage.setItem(SETTING, 'off');
  } catch {
    // Storage refused (private mode): the choice lasts as long as the page.
  }
}

/**
 * Passages that overlap or touch become one mark, with the comments on them added up: nested marks would read as
 * noise, and a click shows the comments on the whole passage anyway.
 */
export function mergeHighlights(highlights: readonly Highlight[]): Highlight[] {
  const sorted = [...highlights].filter((h) => h.end > h.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Highlight[] = [];
  for (const h of sorted) {
    const last = merged.at(-1);
    if (last && h.start <= last.end) {
      last.end = Math.max(last.end, h.end);
      last.count += h.count;
    } else merged.push({ ...h });
  }
  return merged;
}

/** A new visible comment's quotes of this block, added to its highlights (live, before the essay is read again). */
export function withQuotesOf(block: Block, comment: Comment): Highlight[] {
  let highlights = block.highlights;
  for (const quote of comment.quotes) {
    if (quote.source !== 'article' || quote.blockId !== block.id) continue;
    const { start, end } = quote;
    if (typeof start !== 'number' || typeof end !== 'number') continue;
    const same = highlights.find((h) => h.start === start && h.end === end);
    highlights = same
      ? highlights.map((h) => (h === same ? { ...h, count: h.count + 1 } : h))
      : [...highlights, { start, end, count: 1 }].sort((a, b) => a.start - b.start || a.end - b.end);
  }
  return highlights;
}

const SPACE = /\s/;

/**
 * Wraps the passages (offsets in the block's plain `text`) in `<mark>` inside the block's rendered html. The html and
 * the text agree character for character once white space is set aside (the text is the html's words, list items one
 * per line), so characters are matched by their rank among the non-space ones; when they do not agree, nothing is
 * marked rather than the wrong words.
 */
export function markPassages(root: HTMLElement, text: string, passages: readonly Highlight[]): void {
  if (passages.length === 0) return;
  const chars: { node: Text; offset: number }[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const data = (node as Text).data;
    for (let i = 0; i < data.length; i++) if (!SPACE.test(data[i])) chars.push({ node: node as Text, offset: i });
  }
  // rank[i]: how many non-space characters of `text` stand before offset i.
  const rank = new Array<number>(text.length + 1);
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    rank[i] = count;
    if (!SPACE.test(text[i])) count++;
  }
  rank[text.length] = count;
  if (count !== chars.length) return;
  // From the last passage to the first, and in each from its last text node: splitting a node keeps the offsets
  // before the split point valid, so the positions still to wrap stay right.
  for (const passage of [...passages].reverse()) {
    const from = rank[Math.min(Math.max(passage.start, 0), text.length)];
    const to = rank[Math.min(Math.max(passage.end, 0), text.length)];
    if (from >= to) continue;
    const runs: { node: Text; start: number; end: number }[] = [];
    for (let k = from; k < to; k++) {
      const { node, offset } = chars[k];
      const run = runs.at(-1);
      if (run && run.node === node) run.end = offset + 1;
      else runs.push({ node, start: offset, end: offset + 1 });
    }
    for (const run of runs.reverse()) wrap(run.node, run.start, run.end, passage.count);
  }
}

function wrap(node: Text, start: number, end: number, count: number): void {
  node.splitText(end);
  const middle = node.splitText(start);
  const mark = document.createElement('mark');
  mark.className = 'quoted';
  mark.title = `${count === 1 ? '1 comment quotes' : `${count} comments quote`} this passage: click to show`;
  middle.parentNode?.insertBefore(mark, middle);
  mark.appendChild(middle);
}
