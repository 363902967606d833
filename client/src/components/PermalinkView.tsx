import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Comment, type CommentNode } from '../api.js';
import { LiveArticle } from '../live.js';
import { isModerator, session } from '../session.js';
import { useStore } from '../store.js';
import { addReply, applyDecision, applyLiveEvent, markGone, replaceComment } from '../thread-state.js';
import { onNotification } from '../inbox.js';
import { CommentItem } from './CommentItem.js';
import { THREAD_DEPTH, ThreadContext, type ThreadContextValue } from './thread-context.js';
import { useTree } from './use-tree.js';
import { PageNotice } from './PageNotice.js';
import { UsernameAndRole } from './AuthorName.js';

/** One comment with the comments above it and its replies: "continue this thread" lands here. */
export function PermalinkView({ id }: { id: string }) {
  const me = useStore(session);
  const [ancestors, setAncestors] = useState<Comment[]>([]);
  const [moreAncestors, setMoreAncestors] = useState(0);
  const [article, setArticle] = useState<{ slug: string; title: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [depth, setDepth] = useState(0);
  const tree = useTree('best', depth);
  const { setItems } = tree;
  /** The comment shown and its replies as drawn: a sign-in (or out) here reads them again for the new reader. */
  const shown = useRef<{ id: string; items: CommentNode[] }>({ id, items: [] });
  shown.current.items = tree.items;

  useEffect(() => {
    let live: LiveArticle | null = null;
    let cancelled = false;
    // The same comment for another reader: the replies opened with "Load more replies" are read again and stay open.
    const before = shown.current.id === id ? shown.current.items : [];
    shown.current = { id, items: before };
    void (async () => {
      try {
        const answer = await api.comment(id, { depth: THREAD_DEPTH });
        if (cancelled) return;
        if (before.length === 0) tree.resetCursors();
        const read = before.length > 0 ? await tree.reopen([answer.comment], before) : [answer.comment];
        if (cancelled) return;
        setAncestors(answer.ancestors);
        setMoreAncestors(answer.moreAncestors);
        setDepth(answer.comment.depth);
        setItems(read);
        setArticle(answer.article);
        document.title = `A comment on ${answer.article.title} · Essay forum`;
        // Everything after the answer's seq: a reply written while it loaded is handed over by the first join.
        live = new LiveArticle(
          answer.article.slug,
          {
            event: (event) => setItems((nodes) => applyLiveEvent(nodes, event, isModerator(session.value))),
            own: (comment) => setItems((nodes) => addReply(nodes, comment)),
            presence: () => undefined,
            resync: () => undefined,
          },
          answer.seq,
        );
      } catch (e) {
        if (!cancelled)
          setError(
            e instanceof ApiError && e.status === 404
              ? 'There is no such comment.'
              : 'The comment could not be loaded.',
          );
      }
    })();
    return () => {
      cancelled = true;
      live?.close();
    };
  }, [id, me?.id]);

  // A moderator decided on one of the reader's own comments: it changes here at once, without a reload.
  useEffect(() => onNotification((notification) => setItems((nodes) => applyDecision(nodes, notification))), []);

  const context = useMemo<ThreadContextValue | null>(
    () =>
      article && {
        slug: article.slug,
        sort: 'best',
        locked: false,
        baseDepth: depth,
        me,
        posted: (comment) => setItems((nodes) => addReply(nodes, comment)),
        updated: (comment) => setItems((nodes) => replaceComment(nodes, comment)),
        deleted: (id) => setItems((nodes) => markGone(nodes, id, 'deleted', false)),
        vote: tree.vote,
        loadMore: tree.loadMore,
      },
    [article, depth, me, tree.items],
  );

  if (error) {
    return <PageNotice title={error} />;
  }
  if (!context || !article) return <p class="muted page-loading">Loading the comment…</p>;
  return (
    <ThreadContext.Provider value={context}>
      <section class="permalink" aria-labelledby="permalink-title">
        <p class="back">
          <a href={`/articles/${encodeURIComponent(article.slug)}#discussion`}>← {article.title}</a>
        </p>
        <h1 id="permalink-title" class="visually-hidden">
          A comment and its replies
        </h1>
        {ancestors.length > 0 && (
          <ol class="ancestors" aria-label="The comments above">
            {moreAncestors > 0 && (
              <li class="earlier">
                {/* The parent of the topmost one shown: its permalink shows the next ancestors up, and so on to the
                    top-level comment. */}
                <a href={`/comments/${encodeURIComponent(ancestors[0].parentId ?? ancestors[0].id)}`}>
                  <span aria-hidden="true">↑ </span>
                  {moreAncestors === 1 ? '1 earlier comment' : `${moreAncestors} earlier comments`}
                </a>
              </li>
            )}
            {ancestors.map((a) => (
              <li key={a.id}>
                <a href={`/comments/${encodeURIComponent(a.id)}`}>{a.author?.displayName ?? '[gone]'}</a>
                {a.author && (
                  <>
                    {' '}
                    <UsernameAndRole user={a.author} />
                  </>
                )}
                {': '}
                <span class="muted">
                  {a.body ? (a.body.length > 140 ? `${a.body.slice(0, 140)}…` : a.body) : 'no longer here'}
                </span>
              </li>
            ))}
          </ol>
        )}
        <ol class="thread" aria-label="Comment">
          {tree.items.map((node) => (
            <CommentItem key={node.id} node={node} parent={ancestors.find((a) => a.id === node.parentId)} />
          ))}
        </ol>
      </section>
    </ThreadContext.Provider>
  );
}
