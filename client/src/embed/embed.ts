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
 */
import { HEIGHT_MESSAGE, SCHEME_MESSAGE } from './protocol.js';

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

  window.addEventListener('message', (event: MessageEvent<{ type?: unknown; height?: unknown } | null>) => {
    if (event.origin !== forum || event.source !== frame.contentWindow) return;
    const height = event.data?.height;
    if (event.data?.type === HEIGHT_MESSAGE && typeof height === 'number' && height > 0 && height < 1e6)
      frame.style.height = `${Math.ceil(height)}px`;
  });

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
