import { useContext, useState } from 'preact/hooks';
import type { CommentNode } from '../api.js';
import { plural, timeAgo } from '../format.js';
import { askToSignIn } from '../ui.js';
import { ReplyBox } from './ReplyBox.js';
import { STANCE_LABELS, THREAD_DEPTH, ThreadContext } from './thread-context.js';
import { Votes } from './Votes.js';

function Placeholder({ node }: { node: CommentNode }) {
  return <p class="placeholder">{node.status === 'deleted' ? 'Deleted by its author.' : 'Removed by a moderator.'}</p>;
}

function Quote({ node, slug }: { node: CommentNode; slug: string }) {
  const quote = node.quote;
  if (!quote) return null;
  const href =
    quote.source === 'article'
      ? `/articles/${encodeURIComponent(slug)}#block-${quote.blockId ?? ''}`
      : `/comments/${encodeURIComponent(quote.commentId ?? '')}`;
  return (
    <blockquote class="comment-quote">
      <p>{quote.text}</p>
      <footer>
        <a href={href}>{quote.source === 'article' ? 'from the essay' : 'from a comment'}</a>
        {!quote.verified && <span class="muted"> · no longer in the text</span>}
      </footer>
    </blockquote>
  );
}

export function CommentItem({ node }: { node: CommentNode }) {
  const t = useContext(ThreadContext);
  const [replying, setReplying] = useState(false);
  const [loading, setLoading] = useState(false);
  if (!t) return null;
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
          <span class="author">{name}</span>
          {node.stance && !gone && <span class={`stance stance-${node.stance}`}>{STANCE_LABELS[node.stance]}</span>}
          <a class="when" href={`/comments/${encodeURIComponent(node.id)}`} title="Link to this comment">
            <time dateTime={node.createdAt}>{timeAgo(node.createdAt)}</time>
          </a>
          {node.editedAt && !gone && <span class="muted">edited</span>}
          {node.status === 'pending' && <span class="badge">awaiting moderation</span>}
          {node.status === 'removed' && !gone && <span class="badge">removed</span>}
        </header>
        {gone ? (
          <Placeholder node={node} />
        ) : (
          <>
            <Quote node={node} slug={t.slug} />
            {/* The server's sanitised rendering of the comment's Markdown: the only html a comment brings. */}
            <div class="comment-body" dangerouslySetInnerHTML={{ __html: node.html ?? '' }} />
          </>
        )}
        <footer class="comment-actions">
          <Votes node={node} />
          {!gone && !t.locked && node.status !== 'pending' && (
            <button
              type="button"
              class="link"
              aria-expanded={replying}
              onClick={() => (t.me ? setReplying(!replying) : askToSignIn())}
            >
              Reply
            </button>
          )}
        </footer>
        {replying && <ReplyBox parent={node} onDone={() => setReplying(false)} />}
      </article>
      {node.replies.length > 0 && (
        <ol class="replies">
          {node.replies.map((reply) => (
            <CommentItem key={reply.id} node={reply} />
          ))}
        </ol>
      )}
      {node.moreReplies > 0 &&
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
