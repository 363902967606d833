import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, type Article, type Comment, SORTS, type ThreadSort } from '../api.js';
import { LiveArticle, type LiveEvent } from '../live.js';
import { location } from '../router.js';
import { isModerator, session } from '../session.js';
import { useStore } from '../store.js';
import { addReply, applyLiveEvent, contains, markGone, replaceComment, toNode } from '../thread-state.js';
import { Essay } from './Essay.js';
import { ThreadSection } from './ThreadSection.js';
import { THREAD_DEPTH, type ThreadContextValue } from './thread-context.js';
import { useTree } from './use-tree.js';
import { PageNotice } from './PageNotice.js';

const PAGE = 20;

/** Distinct essay blocks a comment quotes. */
function quotedBlocks(comment: Comment): Set<string> {
  return new Set(comment.quotes.flatMap((q) => (q.source === 'article' && q.blockId ? [q.blockId] : [])));
}

export function ArticleView({ slug }: { slug: string }) {
  const me = useStore(session);
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<ThreadSort>('best');
  const [blockId, setBlockId] = useState<string | null>(null);
  const tree = useTree(sort, 0);
  const { setItems } = tree;
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [threadError, setThreadError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<Comment[]>([]);
  const [presence, setPresence] = useState<number | null>(null);
  const [connected, setConnected] = useState(true);

  // What the live handlers (set up once per article) need to read now.
  const now = useRef({ blockId, me, sort, items: tree.items });
  now.current = { blockId, me, sort, items: tree.items };
  const loading = useRef<LiveEvent[] | null>(null);
  const generation = useRef(0);

  const refreshArticle = async () => {
    try {
      const fresh = await api.article(slug);
      setArticle(fresh);
      document.title = `${fresh.title} · Essay forum`;
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 404 ? 'There is no such essay.' : 'The essay could not be loaded.',
      );
    }
  };

  const loadThread = async (from: string | null = null) => {
    const run = ++generation.current;
    if (!from) loading.current = [];
    try {
      const page = await api.thread(slug, {
        sort: now.current.sort,
        blockId: now.current.blockId,
        depth: THREAD_DEPTH,
        limit: PAGE,
        cursor: from,
      });
      if (run !== generation.current) return;
      const replay = loading.current ?? [];
      loading.current = null;
      setItems((shown) => {
        let next = from ? [...shown, ...page.items.filter((n) => !contains(shown, n.id))] : page.items;
        for (const event of replay) next = applyLiveEvent(next, event, isModerator(now.current.me));
        return next;
      });
      if (!from) {
        tree.resetCursors();
        setWaiting([]);
      }
      setCursor(page.nextCursor);
      setTotal(page.total);
      setThreadError(null);
    } catch (e) {
      if (run === generation.current)
        setThreadError(e instanceof ApiError ? e.message : 'The discussion could not be loaded.');
    }
  };

  const insertOwn = (comment: Comment) => {
    if (comment.parentId === null) {
      setItems((nodes) => (contains(nodes, comment.id) ? nodes : [toNode(comment), ...nodes]));
      setWaiting((queued) => queued.filter((c) => c.id !== comment.id));
    } else {
      setItems((nodes) => addReply(nodes, comment));
    }
  };

  const onEvent = (event: LiveEvent) => {
    loading.current?.push(event);
    const { me: viewer, blockId: filter } = now.current;
    switch (event.type) {
      case 'comment.created': {
        const comment = event.comment;
        const blocks = quotedBlocks(comment);
        if (blocks.size > 0) {
          setArticle(
            (a) =>
              a && {
                ...a,
                blocks: a.blocks.map((b) => (blocks.has(b.id) ? { ...b, commentCount: b.commentCount + 1 } : b)),
              },
          );
        }
        setTotal((n) => (n === null ? n : n + 1));
        if (comment.parentId !== null) {
          setItems((nodes) => addReply(nodes, comment));
        } else if (!filter || blocks.has(filter)) {
          if (viewer && comment.author?.id === viewer.id) insertOwn(comment);
          else if (!contains(now.current.items, comment.id))
            setWaiting((queued) => (queued.some((c) => c.id === comment.id) ? queued : [...queued, comment]));
        }
        return;
      }
      case 'comment.updated':
        setWaiting((queued) => queued.map((c) => (c.id === event.comment.id ? event.comment : c)));
        break;
      case 'comment.deleted':
      case 'comment.removed':
      case 'comment.restored':
        // Which passages the comment quoted is the server's to say: take the counts again.
        void refreshArticle();
        break;
      case 'article.updated':
        setArticle((a) => a && { ...a, settings: event.settings });
        return;
      case 'comment.voted':
        break;
    }
    setItems((nodes) => applyLiveEvent(nodes, event, isModerator(viewer)));
  };

  useEffect(() => {
    void refreshArticle();
    void loadThread();
    const live = new LiveArticle(slug, {
      event: onEvent,
      own: insertOwn,
      presence: setPresence,
      resync: () => void loadThread(),
      status: setConnected,
    });
    return () => live.close();
  }, [slug]);

  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void loadThread();
  }, [sort, blockId, me?.id]);

  // An address like /articles/x#block-y: scroll to the passage once the essay is there.
  const { hash } = useStore(location);
  useEffect(() => {
    if (article && hash.startsWith('#')) document.getElementById(hash.slice(1))?.scrollIntoView();
  }, [article !== null, hash]);

  const context = useMemo<ThreadContextValue>(
    () => ({
      slug,
      sort,
      locked: article?.settings.locked ?? false,
      baseDepth: 0,
      me,
      posted: insertOwn,
      updated: (comment) => setItems((nodes) => replaceComment(nodes, comment)),
      deleted: (id) => {
        setItems((nodes) => markGone(nodes, id, 'deleted', false));
        void refreshArticle();
      },
      vote: tree.vote,
      loadMore: tree.loadMore,
    }),
    [slug, sort, article?.settings.locked, me, tree.items],
  );

  if (error) {
    return <PageNotice title={error} />;
  }
  if (!article) return <p class="muted page-loading">Loading the essay…</p>;

  const filter = (id: string | null) => {
    setBlockId(id);
    if (id) document.getElementById('discussion')?.scrollIntoView();
  };

  return (
    <div class="reading">
      <Essay article={article} filter={blockId} onFilter={filter} />
      <ThreadSection
        context={context}
        items={tree.items}
        total={total}
        error={threadError}
        presence={presence}
        connected={connected}
        sorts={SORTS}
        onSort={setSort}
        filter={blockId}
        onClearFilter={() => setBlockId(null)}
        waiting={waiting}
        onShowWaiting={() => {
          setItems((nodes) => [
            ...waiting
              .filter((c) => !contains(nodes, c.id))
              .map(toNode)
              .reverse(),
            ...nodes,
          ]);
          setWaiting([]);
        }}
        hasMore={cursor !== null}
        onMore={() => void loadThread(cursor)}
      />
    </div>
  );
}
