import { useContext, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { type Article, type Block, MAX_QUOTE } from '../api.js';
import { hasDraft, passageDraftKey } from '../drafts.js';
import { formatDate, plural } from '../format.js';
import { highlightsOn, markPassages, mergeHighlights, setHighlights } from '../highlights.js';
import { ban } from '../session.js';
import { useStore } from '../store.js';
import { askToSignIn } from '../ui.js';
import { type Passage, ReplyBox } from './ReplyBox.js';
import { MarginStances } from './Stances.js';
import { ThreadContext } from './thread-context.js';

/** What a comment written from the margin quotes: the passage, cut at a word when it is longer than a quote may be. */
function passageOf(block: Block): Passage {
  const text = block.text.trim();
  if (text.length <= MAX_QUOTE) return { blockId: block.id, text };
  const cut = text.slice(0, MAX_QUOTE);
  const space = cut.search(/\s\S*$/);
  return { blockId: block.id, text: (space > 0 ? cut.slice(0, space) : cut).trim() };
}

/**
 * A block's sanitised html from the server, with the passages comments quote marked when the reader wants them. The
 * marks are put into the html after it is rendered (and the html set again when they go), so that Preact never
 * reconciles them. A click on a mark (not the end of a selection) shows the comments on the passage.
 */
function BlockText({ block, marked, onShow }: { block: Block; marked: boolean; onShow: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = useRef('');
  useLayoutEffect(() => {
    const el = ref.current;
    const passages = marked ? mergeHighlights(block.highlights) : [];
    // The essay is read again often (signing in, a moderation): the text is only rebuilt when what it shows changes,
    // so that a reader's selection in it survives.
    const key = JSON.stringify([block.html, passages]);
    if (!el || key === shown.current) return;
    shown.current = key;
    el.innerHTML = block.html;
    markPassages(el, block.text, passages);
  }, [block.html, block.text, block.highlights, marked]);
  return (
    <div
      class="block-text"
      ref={ref}
      onClick={(event) => {
        // A mark inside a link leaves the click to the link.
        const mark = (event.target as Element | null)?.closest?.('mark.quoted');
        if (mark && !mark.closest('a') && document.getSelection()?.isCollapsed !== false) onShow();
      }}
    />
  );
}

/**
 * The essay block by block, each with the count of comments that quote it, those comments by stance, and a way to
 * comment on the passage right there; the passages comments quote are marked in the text (a reader can turn that off).
 */
export function Essay({
  article,
  filter,
  onFilter,
}: {
  article: Article;
  filter: string | null;
  onFilter: (blockId: string | null) => void;
}) {
  const t = useContext(ThreadContext);
  const marked = useStore(highlightsOn);
  // A passage's box with a draft in it is open again after a reload.
  const [open, setOpen] = useState<string[]>(() =>
    t?.me ? article.blocks.filter((b) => hasDraft(t.slug, passageDraftKey(b.id))).map((b) => b.id) : [],
  );
  const [opened, setOpened] = useState<string | null>(null);
  const replyButtons = useRef(new Map<string, HTMLButtonElement>());
  const anyQuoted = article.blocks.some((b) => b.highlights.length > 0);
  const banned = useStore(ban);
  // As a comment's Reply: not in a locked thread nor for a banned reader; a reader not signed in is asked to.
  const canReply = !!t && t.me !== undefined && !t.locked && !banned;

  const close = (blockId: string) => {
    setOpen((ids) => ids.filter((id) => id !== blockId));
    queueMicrotask(() => replyButtons.current.get(blockId)?.focus({ preventScroll: true }));
  };

  return (
    <article class="essay" aria-labelledby="essay-title">
      <header class="essay-head">
        <h1 id="essay-title">{article.title}</h1>
        <p class="byline">
          {article.author}
          {article.publishedAt && (
            <>
              {' · '}
              <time dateTime={article.publishedAt}>{formatDate(article.publishedAt)}</time>
            </>
          )}
        </p>
        {article.source && <p class="source">{article.source}</p>}
        {anyQuoted && (
          <p class="essay-tools">
            <button
              type="button"
              class="link highlights-toggle"
              aria-pressed={marked}
              title="Mark the passages that comments quote"
              onClick={() => setHighlights(!marked)}
            >
              Highlight commented passages
            </button>
          </p>
        )}
      </header>
      <div class="blocks">
        {article.blocks.map((block) => {
          const replying = open.includes(block.id);
          return (
            <div
              key={block.id}
              class={`block block-${block.kind}${filter === block.id ? ' selected' : ''}`}
              id={`block-${block.id}`}
              data-block-id={block.id}
            >
              <BlockText block={block} marked={marked} onShow={() => onFilter(block.id)} />
              <div class="margin">
                {block.commentCount > 0 && (
                  <button
                    type="button"
                    class="margin-count"
                    aria-pressed={filter === block.id}
                    aria-label={`${plural(block.commentCount, 'comment')} on this passage`}
                    title="Show the comments that quote this passage"
                    onClick={() => onFilter(filter === block.id ? null : block.id)}
                  >
                    {block.commentCount}
                  </button>
                )}
                <MarginStances stances={block.stances} />
                {canReply && (
                  <button
                    type="button"
                    class="margin-reply"
                    aria-label="Reply to this passage"
                    aria-expanded={replying}
                    title="Comment on this passage, quoting it"
                    ref={(button) => {
                      if (button) replyButtons.current.set(block.id, button);
                      else replyButtons.current.delete(block.id);
                    }}
                    onClick={(e) => {
                      const openBox = () => {
                        setOpened(block.id);
                        setOpen((ids) => (ids.includes(block.id) ? ids : [...ids, block.id]));
                      };
                      if (!t?.me)
                        return askToSignIn(e, {
                          purpose: 'To comment on this passage, sign in or create an account.',
                          then: openBox,
                        });
                      if (replying) return close(block.id);
                      openBox();
                    }}
                  >
                    <span aria-hidden="true">↩</span>
                  </button>
                )}
              </div>
              {replying && t?.me && (
                <div class="passage-reply-slot">
                  <ReplyBox passage={passageOf(block)} focus={opened === block.id} onDone={() => close(block.id)} />
                </div>
              )}
            </div>
          );
        })}
      </div>
    </article>
  );
}
