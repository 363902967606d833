import { useContext, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { accountApi, api, ApiError, type Comment, type CommentNode } from '../api.js';
import { hasDraft } from '../drafts.js';
import { plural, timeAgo } from '../format.js';
import { ban, isModerator } from '../session.js';
import { quoteRequest } from '../quoting.js';
import { askToSignIn } from '../ui.js';
import { CopyLink, EditedHistory, EditForm, ReportForm } from './CommentActions.js';
import { ReplyBox } from './ReplyBox.js';
import { stancePhrase, stanceTargetOf, THREAD_DEPTH, ThreadContext } from './thread-context.js';
import { Votes } from './Votes.js';
import { BAN_NOTE_ID, banSummary } from './Notices.js';
import { AuthorName } from './AuthorName.js';
import { useStore } from '../store.js';
import { FormError } from './FormError.js';
import { FollowButton } from './FollowButton.js';
import { decisions } from '../inbox.js';
import { loadModeratorTools, moderatorTools } from '../moderator-tools.js';

function Placeholder({ node }: { node: CommentNode }) {
  const decision = useStore(decisions)[node.id];
  if (node.status === 'deleted') return <p class="placeholder">Deleted by its author.</p>;
  // The author hears the moderator's reason with the decision, and reads it on the comment (removalReason, theirs
  // and the moderators' only) after a reload.
  const reason = (decision?.kind === 'removed' && decision.reason) || node.removalReason;
  return <p class="placeholder">{reason ? `Removed by a moderator: ${reason}` : 'Removed by a moderator.'}</p>;
}

/**
 * Scrolls to the quoted passage when it is on this page and marks it for a moment; otherwise the link navigates (in
 * the embedded discussion, which has no essay text, to the essay on the forum, in a new tab: see frame.ts).
 */
export function showSource(event: MouseEvent, targetId: string): void {
  const target = document.getElementById(targetId);
  if (!target) return;
  event.preventDefault();
  history.replaceState(null, '', `#${targetId}`);
  target.scrollIntoView({ behavior: 'smooth', block: 'center' });
  target.classList.remove('flash');
  void target.offsetWidth;
  target.classList.add('flash');
  target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
}

/**
 * The passage a comment quotes, as the essay's latest revision left it: word for word where it was (or in the block it
 * moved to, which `blockId` names), revised (the quoted words and the passage as it reads now), or gone (the quote's
 * own words, plainly labelled, with no link to a passage that is not there).
 */
function Quote({ node, slug }: { node: CommentNode; slug: string }) {
  const quote = node.quote;
  if (!quote) return null;
  const targetId = quote.source === 'article' ? `block-${quote.blockId ?? ''}` : `comment-${quote.commentId ?? ''}`;
  const href =
    quote.source === 'article'
      ? `/articles/${encodeURIComponent(slug)}#${targetId}`
      : `/comments/${encodeURIComponent(quote.commentId ?? '')}`;
  const link = (label: string) => (
    <a href={href} onClick={(e) => showSource(e, targetId)}>
      {label}
    </a>
  );
  // The essay as the commenter read it: the words stand there as quoted.
  const then =
    typeof quote.revision === 'number' ? (
      <a
        class="quote-revision"
        href={`/articles/${encodeURIComponent(slug)}/revisions/${quote.revision}#block-${quote.blockId ?? ''}`}
      >
        the essay as it read then (revision {quote.revision})
      </a>
    ) : null;
  if (quote.anchor === 'orphaned')
    return (
      <blockquote class="comment-quote anchor-orphaned">
        <p>{quote.text}</p>
        <footer>
          <span class="quote-anchor">This passage was removed or rewritten</span> since the comment quoted it.
          {then && <> Read {then}.</>}
        </footer>
      </blockquote>
    );
  if (quote.anchor === 'changed')
    return (
      <div class="comment-quote anchor-changed">
        <p class="quote-anchor">Passage revised</p>
        <p class="quote-label">Quoted then:</p>
        <blockquote>
          <p>{quote.text}</p>
        </blockquote>
        <p class="quote-label">The essay now reads:</p>
        <blockquote>
          <p>{quote.current}</p>
        </blockquote>
        <footer>
          {link('see it in the essay')}
          {then && <> · {then}</>}
        </footer>
      </div>
    );
  return (
    <blockquote class="comment-quote">
      <p>{quote.text}</p>
      <footer>
        {link(quote.source === 'article' ? 'from the essay' : 'from a comment')}
        {!quote.verified && <span class="muted"> · no longer in the text</span>}
      </footer>
    </blockquote>
  );
}

/** One observer for every comment body on the page (a long thread has hundreds), each with its own measure. */
const measures = new WeakMap<Element, () => void>();
const resizes = new ResizeObserver((entries) => {
  for (const entry of entries) measures.get(entry.target)?.();
});

/**
 * The comment's text, clipped to about twenty lines (by the stylesheet, from the first paint: a short comment never
 * moves) with a fade and "Read more" when it runs longer. Focus landing on a link in the clipped part opens it whole.
 */
function CommentBody({ id, html }: { id: string; html: string }) {
  const body = useRef<HTMLDivElement>(null);
  const [long, setLong] = useState(false);
  const [open, setOpen] = useState(false);
  useLayoutEffect(() => {
    const el = body.current;
    if (!el || open) return;
    const measure = () => setLong(el.scrollHeight > el.clientHeight + 1);
    measure();
    // The width (a turned phone, a resized window) decides how many lines the text takes.
    measures.set(el, measure);
    resizes.observe(el);
    return () => {
      resizes.unobserve(el);
      measures.delete(el);
    };
  }, [html, open]);
  const bodyId = `body-${id}`;
  return (
    <>
      {/* The server's sanitised rendering of the comment's Markdown: the only html a comment brings. */}
      <div
        id={bodyId}
        ref={body}
        class={open ? 'comment-body' : long ? 'comment-body clamped clipped' : 'comment-body clamped'}
        onFocusIn={() => long && setOpen(true)}
        dangerouslySetInnerHTML={{ __html: html }}
      />
      {long && (
        <button
          type="button"
          class="link read-more"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={() => setOpen(!open)}
        >
          {open ? 'Show less' : 'Read more'}
        </button>
      )}
    </>
  );
}

/** `parent`: the comment this one replies to, when the page shows it (its stance names the parent's author). */
export function CommentItem({ node, parent }: { node: CommentNode; parent?: Comment | null }) {
  const t = useContext(ThreadContext);
  // A reply box with a draft in it is open again after a reload or a re-sort (signed in or not: a signed-out reader
  // may write first, and signs in to post).
  const [replying, setReplying] = useState(() => !!t && hasDraft(t.slug, node.id));
  /** Bumped when the reply box should take the focus: opened by Reply, or the reader back from signing in. */
  const [focusReply, setFocusReply] = useState(0);
  const replyButton = useRef<HTMLButtonElement>(null);
  const [loading, setLoading] = useState(false);
  const [mode, setMode] = useState<'read' | 'edit' | 'report'>('read');
  const [problem, setProblem] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useState(false);
  const banned = useStore(ban);
  const request = useStore(quoteRequest);
  const editButton = useRef<HTMLButtonElement>(null);
  const reportButton = useRef<HTMLButtonElement>(null);
  const placeholder = useRef<HTMLDivElement>(null);
  const tools = useStore(moderatorTools);
  const moderating = isModerator(t?.me) && !banned;
  useEffect(() => {
    if (request?.parentId === node.id) setReplying(true);
  }, [request]);
  useEffect(() => {
    if (moderating) loadModeratorTools();
  }, [moderating]);
  if (!t) return null;
  const mine = !!t.me && node.author?.id === t.me.id;
  const canWrite = !!t.me && !banned;
  // A locked thread freezes edits, deletions and reports too (the server answers 403), except for moderators.
  const frozen = t.locked && !isModerator(t.me);

  const remove = async () => {
    const question =
      node.status === 'pending'
        ? 'Withdraw your comment? Nobody else has seen it yet; it will be gone.'
        : 'Delete your comment? Its replies stay; it shows as deleted.';
    if (!window.confirm(question)) return;
    setProblem(null);
    try {
      await api.deleteComment(node.id);
      t.deleted(node.id);
      queueMicrotask(() => placeholder.current?.focus());
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : 'The comment could not be deleted; try again.');
    }
  };
  const gone = node.html === null;
  const name = node.author?.displayName ?? (node.status === 'deleted' ? '[deleted]' : '[removed]');
  const relativeDepth = node.depth - t.baseDepth;
  const continueHere = node.moreReplies > 0 && node.replies.length === 0 && relativeDepth >= THREAD_DEPTH;

  const more = async () => {
    setLoading(true);
    try {
      await t.loadMore(node.id);
    } finally {
      setLoading(false);
    }
  };

  return (
    <li class={`comment status-${node.status}`} id={`comment-${node.id}`} data-comment-id={node.id}>
      <article aria-label={`Comment by ${name}`}>
        <header class="comment-meta">
          {node.author ? <AuthorName user={node.author} /> : <span class="author">{name}</span>}
          {node.stance && !gone && (
            <span class={`stance stance-${node.stance}`}>
              {stancePhrase(node.stance, stanceTargetOf(node, parent))}
            </span>
          )}
          <a class="when" href={`/comments/${encodeURIComponent(node.id)}`} title="Link to this comment">
            <time dateTime={node.createdAt}>{timeAgo(node.createdAt)}</time>
          </a>
          {/* Keyed by the edit: a later edit must not leave an earlier, shorter history on show. */}
          {node.editedAt && !gone && <EditedHistory key={node.editedAt} id={node.id} current={node.body} />}
          {node.featured && !gone && <span class="badge featured-badge">Featured</span>}
          {node.status === 'pending' && <span class="badge">awaiting moderation</span>}
          {node.status === 'removed' && !gone && <span class="badge">removed</span>}
        </header>
        {gone ? (
          <div tabIndex={-1} ref={placeholder}>
            <Placeholder node={node} />
          </div>
        ) : mode === 'edit' ? (
          <EditForm
            node={node}
            t={t}
            onDone={() => {
              setMode('read');
              queueMicrotask(() => editButton.current?.focus());
            }}
          />
        ) : (
          <>
            <Quote node={node} slug={t.slug} />
            <CommentBody id={node.id} html={node.html ?? ''} />
          </>
        )}
        <footer class="comment-actions">
          {/* A placeholder keeps no score: nothing is left there to vote on. */}
          {!gone && <Votes node={node} />}
          {!gone && !t.locked && !banned && node.status !== 'pending' && (
            <button
              ref={replyButton}
              type="button"
              class="link"
              aria-expanded={replying}
              onClick={(e) => {
                if (!t.me && !replying) {
                  // The box opens behind the dialog: closed without signing in, it is there to write in first.
                  setReplying(true);
                  return askToSignIn(e, {
                    purpose: 'To reply, sign in or create an account. You come back to this comment.',
                    then: () => setFocusReply((n) => n + 1),
                  });
                }
                if (!replying) setFocusReply((n) => n + 1);
                setReplying(!replying);
              }}
            >
              Reply
            </button>
          )}
          {mine && !gone && mode === 'read' && canWrite && !frozen && (
            <>
              <button type="button" class="link" ref={editButton} onClick={() => setMode('edit')}>
                Edit
              </button>
              <button type="button" class="link" onClick={() => void remove()}>
                Delete
              </button>
            </>
          )}
          {t.me && node.status !== 'pending' && (!gone || node.following) && (
            <FollowButton
              following={node.following}
              hint="Be notified of every new comment under this one"
              change={async (follow) => {
                await accountApi.followComment(node.id, follow);
                t.updated({ ...node, following: follow });
              }}
            />
          )}
          {!mine && !gone && t.me && !frozen && node.status === 'visible' && (
            <button
              type="button"
              class="link"
              ref={reportButton}
              {...(banned
                ? { 'aria-disabled': true, title: banSummary(banned), 'aria-describedby': BAN_NOTE_ID }
                : { 'aria-expanded': mode === 'report' })}
              onClick={() => !banned && setMode(mode === 'report' ? 'read' : 'report')}
            >
              Report
            </button>
          )}
          {node.replies.length > 0 && (
            <button
              type="button"
              class="link collapse"
              aria-expanded={!collapsed}
              aria-controls={`replies-${node.id}`}
              onClick={() => setCollapsed(!collapsed)}
            >
              {`${collapsed ? 'Show' : 'Hide'} replies (${node.replies.length + node.moreReplies})`}
            </button>
          )}
          {/* Its confirmation follows it without a gap in the row; only the moderators' menu comes after it. */}
          {!gone && node.status === 'visible' && <CopyLink id={node.id} />}
          {moderating && tools && <tools.Menu node={node} t={t} />}
        </footer>
        <FormError message={problem} />
        {mode === 'report' && !banned && (
          <ReportForm
            node={node}
            onDone={() => {
              setMode('read');
              queueMicrotask(() => reportButton.current?.focus());
            }}
          />
        )}
        {replying && (
          <ReplyBox
            parent={node}
            focus={focusReply}
            onDone={() => {
              setReplying(false);
              // Back where the reader was: the focus does not fall to the top of the page with the closed box.
              queueMicrotask(() => replyButton.current?.focus({ preventScroll: true }));
            }}
          />
        )}
      </article>
      {node.replies.length > 0 && (
        <ol class="replies" id={`replies-${node.id}`} hidden={collapsed}>
          {node.replies.map((reply) => (
            <CommentItem key={reply.id} node={reply} parent={node} />
          ))}
        </ol>
      )}
      {node.moreReplies > 0 &&
        !collapsed &&
        (continueHere ? (
          <a class="more continue" href={`/comments/${encodeURIComponent(node.id)}`}>
            Continue this thread ({plural(node.moreReplies, 'reply', 'replies')}) →
          </a>
        ) : (
          <button type="button" class="link more" disabled={loading} onClick={() => void more()}>
            {loading ? 'Loading…' : `Load ${plural(node.moreReplies, 'more reply', 'more replies')}`}
          </button>
        ))}
    </li>
  );
}
