import { useEffect, useState } from 'preact/hooks';
import { MAX_QUOTE, type NewQuote } from '../api.js';
import { session } from '../session.js';
import { askToSignIn } from '../ui.js';
import { requestQuote } from '../quoting.js';

interface Offer {
  quote: NewQuote;
  parentId: string | null;
  top: number;
  left: number;
}

/** Where a selection lies: one essay block's text, or one comment's rendered body (a selection across two is none). */
function sourceOf(node: Node | null): {
  quote: { source: 'article'; blockId: string } | { source: 'comment'; commentId: string };
  parentId: string | null;
  el: Element;
} | null {
  const el = node instanceof Element ? node : (node?.parentElement ?? null);
  const block = el?.closest('.block-text');
  const blockId = block?.parentElement?.getAttribute('data-block-id');
  if (block && blockId) return { quote: { source: 'article', blockId }, parentId: null, el: block };
  const body = el?.closest('.comment-body');
  const commentId = body?.closest('[data-comment-id]')?.getAttribute('data-comment-id');
  if (body && commentId) return { quote: { source: 'comment', commentId }, parentId: commentId, el: body };
  return null;
}

function currentOffer(): Offer | null {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const start = sourceOf(range.startContainer);
  if (!start || !start.el.contains(range.endContainer)) return null;
  // The exact characters selected; the server folds white space itself and checks the words.
  const text = selection.toString().trim();
  if (!text || text.length > MAX_QUOTE) return null;
  const rect = range.getBoundingClientRect();
  return {
    quote: { ...start.quote, text },
    parentId: start.parentId,
    top: rect.bottom + window.scrollY + 6,
    left: Math.max(8, Math.min(rect.left + window.scrollX, window.innerWidth - 110)),
  };
}

/** A small "Quote" button under a selection in the essay or a comment: it carries the passage into a reply. */
export function QuoteButton() {
  const [offer, setOffer] = useState<Offer | null>(null);
  useEffect(() => {
    let timer = 0;
    const update = () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => setOffer(currentOffer()), 120);
    };
    document.addEventListener('selectionchange', update);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('selectionchange', update);
    };
  }, []);
  if (!offer) return null;
  const quote = (event: Event) => {
    const { quote: passage, parentId } = offer;
    // Signed in, the passage lands in its reply box as if Quote had been pressed then.
    if (!session.value)
      return askToSignIn(event, {
        purpose: 'To quote this passage, sign in or create an account.',
        then: () => requestQuote(passage, parentId),
      });
    requestQuote(passage, parentId);
    document.getSelection()?.removeAllRanges();
    setOffer(null);
  };
  return (
    <button
      type="button"
      class="quote-button"
      style={{ top: `${offer.top}px`, left: `${offer.left}px` }}
      // Keep the selection while the button is pressed.
      onMouseDown={(e) => e.preventDefault()}
      onClick={quote}
    >
      ❝ Quote
    </button>
  );
}
