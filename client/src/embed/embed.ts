/**
 * /embed.js, for a publisher's own page:
 *
 *   <script src="https://forum.example.org/embed.js" async data-article="slug"></script>
 *   <script src="https://forum.example.org/embed.js" async data-url="https://blog.example.org/essays/x/"></script>
 *
 * It puts the essay's discussion in an iframe of the forum after the script (or into the element whose id
 * `data-container` names), sizes the frame to its content's height as the frame reports it, and tells the frame the
 * page's colour scheme, then every change of it. Messages are taken only from that frame at the forum's origin, and
 * sent only to that origin. A classic script without imports, small on purpose (its own budget, client:size).
 *
 * Around an element marked `data-forum-essay` (the essay's text on the page), each paragraph whose text is one of the
 * essay's blocks (white space folded, as quotes are compared) gets a button with its comment count, kept current from
 * the frame, which shows that passage's comments; a selection inside such a paragraph offers to quote it in the
 * discussion (the forum checks the quote, as it checks every quote).
 */
import {
  BLOCKS_MESSAGE,
  foldWhiteSpace,
  HEIGHT_MESSAGE,
  type HostBlock,
  PASSAGE_MESSAGE,
  QUOTE_MESSAGE,
  SCHEME_MESSAGE,
} from './protocol.js';

/** The elements of the page's essay that may hold one block each, outermost first in document order. */
const PASSAGES = 'p, blockquote, ul, ol, h1, h2, h3, h4, h5, h6, pre';
/** The count buttons this script adds: never part of a paragraph's text when it is matched again. */
const COUNT_CLASS = 'essay-forum-count';
const BUTTON_STYLE =
  'font:inherit;font-size:0.75em;margin-left:0.5em;padding:0 0.5em;border:1px solid currentColor;border-radius:1em;' +
  'background:transparent;color:inherit;opacity:0.75;cursor:pointer;vertical-align:middle;user-select:none';

const plural = (n: number) => `${n} ${n === 1 ? 'comment' : 'comments'}`;

/** The page's paragraphs matched to blocks: counts beside them, and quoting by selection. */
function passages(root: Element, frame: HTMLIFrameElement, forum: string): (blocks: HostBlock[]) => void {
  const matched = new Map<Element, HostBlock>();
  const send = (message: object) => frame.contentWindow?.postMessage(message, forum);
  const textOf = (element: Element) => {
    const copy = element.cloneNode(true) as Element;
    for (const button of copy.querySelectorAll(`.${COUNT_CLASS}`)) button.remove();
    return foldWhiteSpace(copy.textContent ?? '');
  };

  let offer: HTMLButtonElement | null = null;
  const withdraw = () => {
    offer?.remove();
    offer = null;
  };
  document.addEventListener('selectionchange', () => {
    const selection = document.getSelection();
    const range = selection && selection.rangeCount > 0 && !selection.isCollapsed ? selection.getRangeAt(0) : null;
    const node = range?.startContainer;
    const start = (node instanceof Element ? node : node?.parentElement)?.closest(PASSAGES);
    const block = start ? matched.get(start) : undefined;
    const text = selection?.toString().trim();
    if (!range || !start || !block || !start.contains(range.endContainer) || !text) return withdraw();
    offer ??= document.createElement('button');
    offer.type = 'button';
    offer.textContent = 'Quote';
    offer.title = 'Quote in the discussion';
    const box = range.getBoundingClientRect();
    offer.setAttribute(
      'style',
      `${BUTTON_STYLE};position:absolute;z-index:2147483647;opacity:1;font-size:0.85rem;` +
        `top:${box.bottom + window.scrollY + 6}px;left:${Math.max(8, box.left + window.scrollX)}px`,
    );
    offer.onmousedown = (event) => event.preventDefault(); // keep the selection while pressed
    offer.onclick = () => {
      send({ type: QUOTE_MESSAGE, blockId: block.id, text });
      selection?.removeAllRanges();
      withdraw();
      frame.scrollIntoView({ behavior: 'smooth', block: 'start' });
    };
    document.body.append(offer);
  });

  return (blocks) => {
    const byText = new Map(blocks.map((block) => [block.text, block]));
    for (const element of root.querySelectorAll(PASSAGES)) {
      const outer = element.parentElement?.closest(PASSAGES);
      if (outer && matched.has(outer)) continue; // a paragraph of a quotation that is one block as a whole
      const block = byText.get(textOf(element));
      if (!block) continue;
      matched.set(element, block);
      let count = element.querySelector<HTMLButtonElement>(`:scope > .${COUNT_CLASS}`);
      if (!count) {
        count = document.createElement('button');
        count.type = 'button';
        count.className = COUNT_CLASS;
        count.setAttribute('style', BUTTON_STYLE);
        count.onclick = () => {
          send({ type: PASSAGE_MESSAGE, blockId: matched.get(element)?.id });
          frame.scrollIntoView({ behavior: 'smooth', block: 'start' });
        };
        element.append(count);
      }
      count.textContent = plural(block.count);
    }
  };
}

type Scheme = 'light' | 'dark';

/** The page's scheme: the script's `data-scheme`, else the page's own background, else the reader's system. */
function hostScheme(script: HTMLScriptElement): Scheme {
  const chosen = script.dataset.scheme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  for (const element of [document.body, document.documentElement]) {
    const rgb = /rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)/.exec(getComputedStyle(element).backgroundColor);
    if (rgb && (rgb[4] === undefined || Number(rgb[4]) > 0.5)) {
      const [r, g, b] = [rgb[1], rgb[2], rgb[3]].map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? 'dark' : 'light';
    }
  }
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function isBlock(value: unknown): value is HostBlock {
  const block = value as HostBlock | null;
  return typeof block?.id === 'string' && typeof block.text === 'string' && Number.isInteger(block.count);
}

function embed(script: HTMLScriptElement): void {
  const forum = new URL(script.src).origin;
  const slug = script.dataset.article;
  const canonical = script.dataset.url;
  if (!slug && !canonical) return;
  const src = new URL(`/embed/articles/${slug ? encodeURIComponent(slug) : 'by-url'}`, forum);
  if (!slug && canonical) src.searchParams.set('url', canonical);
  src.searchParams.set('origin', window.location.origin);
  let scheme = hostScheme(script);
  src.searchParams.set('scheme', scheme);

  const frame = document.createElement('iframe');
  frame.src = src.href;
  frame.title = script.dataset.title ?? 'Discussion';
  frame.setAttribute('style', 'display:block;width:100%;height:480px;border:0');
  const container = script.dataset.container ? document.getElementById(script.dataset.container) : null;
  if (container) container.append(frame);
  else script.after(frame);

  const essay = document.querySelector('[data-forum-essay]');
  const showCounts = essay && passages(essay, frame, forum);
  window.addEventListener(
    'message',
    (event: MessageEvent<{ type?: unknown; height?: unknown; blocks?: unknown } | null>) => {
      if (event.origin !== forum || event.source !== frame.contentWindow || !event.data) return;
      const { type, height, blocks } = event.data;
      if (type === HEIGHT_MESSAGE && typeof height === 'number' && height > 0 && height < 1e6)
        frame.style.height = `${Math.ceil(height)}px`;
      if (type === BLOCKS_MESSAGE && Array.isArray(blocks)) showCounts?.(blocks.filter(isBlock));
    },
  );

  const follow = () => {
    const now = hostScheme(script);
    if (now === scheme) return;
    scheme = now;
    frame.contentWindow?.postMessage({ type: SCHEME_MESSAGE, scheme }, forum);
  };
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', follow);
  const watched = { attributes: true, attributeFilter: ['class', 'style', 'data-theme', 'data-scheme'] };
  const observer = new MutationObserver(follow);
  observer.observe(document.documentElement, watched);
  if (document.body) observer.observe(document.body, watched);
  observer.observe(script, watched);
}

const current = document.currentScript;
if (current instanceof HTMLScriptElement) {
  // Run once the page's body exists (a script in the head, or async before the body is parsed).
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => embed(current));
  else embed(current);
}
