import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  accountApi,
  api,
  ApiError,
  type Article,
  type Comment,
  type CommentNode,
  PAGE_LIMIT_MAX,
  SORTS,
  type Stance,
  STANCES,
  type ThreadSort,
} from '../api.js';
import { connectLive, listen, LiveArticle, type LiveEvent, type LiveStatus } from '../live.js';
import { location, queryParameter } from '../router.js';
import { isModerator, session } from '../session.js';
import { useStore } from '../store.js';
import { onNotification } from '../inbox.js';
import { askToSignIn } from '../ui.js';
import {
  addReply,
  applyDecision,
  applyLiveEvent,
  applyToArticle,
  contains,
  findNode,
  markGone,
  quotedBlocks,
  touchesFeatured,
  totalChange,
  RecentEvents,
  replaceComment,
  toNode,
} from '../thread-state.js';
import { passageRequest } from '../embed/frame.js';
import { Essay } from './Essay.js';
import { FeaturedComments } from './FeaturedComments.js';
import { FollowButton } from './FollowButton.js';
import { ThreadSection } from './ThreadSection.js';
import { THREAD_DEPTH, ThreadContext, type ThreadContextValue } from './thread-context.js';
import { useTree } from './use-tree.js';
import { PageNotice } from './PageNotice.js';

const PAGE = 20;

/** The stance filter the address names (`?stance=agree`), or null for none or one the server does not know. */
function stanceInAddress(): Stance | null {
  const value = queryParameter('stance');
  return STANCES.find((stance) => stance === value) ?? null;
}

/** Keeps the stance filter in the address, so that a reload or a shared link shows the same comments. */
function putStanceInAddress(stance: Stance | null): void {
  const url = new URL(window.location.href);
  if (stance) url.searchParams.set('stance', stance);
  else url.searchParams.delete('stance');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}

/** The sort the address names (`?sort=new`), or null for none or one the server does not know. */
function sortInAddress(): ThreadSort | null {
  const value = queryParameter('sort');
  return SORTS.find((sort) => sort === value) ?? null;
}

const SORT_KEY = 'essay-forum.sort';

/** The reader's last chosen sort, for an essay opened without one in its address; Best when there is none. */
function rememberedSort(): ThreadSort {
  try {
    const value = localStorage.getItem(SORT_KEY);
    return SORTS.find((sort) => sort === value) ?? 'best';
  } catch {
    return 'best'; // storage refused (private mode, blocked cookies)
  }
}

/** A chosen sort goes in the address (a reload or a shared link keeps it) and is remembered for the next essay. */
function keepSort(sort: ThreadSort): void {
  const url = new URL(window.location.href);
  url.searchParams.set('sort', sort);
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  try {
    localStorage.setItem(SORT_KEY, sort);
  } catch {
    // Kept in the address only.
  }
}

/**
 * The reading view. The essay and the thread are each read at some event number (`seq`); live events after it are
 * applied to them, including the ones that arrived while they were loading, and the first `join` asks for everything
 * after the older of the two, so a comment written between the reads and the join is not missed. `embedded`: the
 * discussion alone, in a frame on the publisher's page, which shows the essay itself; it is told the essay (its blocks'
 * counts) at every change, for the page's passages.
 */
export function ArticleView({ slug, embedded }: { slug: string; embedded?: (article: Article) => void }) {
  const me = useStore(session);
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<ThreadSort>(() => sortInAddress() ?? rememberedSort());
  const [featuredVersion, setFeaturedVersion] = useState(0);
  /** The ids the featured list shows, so that only events about them (or a featuring) read it again. */
  const featuredIds = useRef<ReadonlySet<string>>(new Set());
  const [blockId, setBlockId] = useState<string | null>(null);
  const [stance, setStance] = useState<Stance | null>(stanceInAddress);
  const tree = useTree(sort, 0);
  const { setItems } = tree;
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [threadError, setThreadError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<Comment[]>([]);
  const [presence, setPresence] = useState<number | null>(null);
  const [status, setStatus] = useState<LiveStatus>('live');

  // What the live handlers (set up once per article) need to read now.
  const now = useRef({ blockId, stance, me, sort, items: tree.items, article });
  now.current = { blockId, stance, me, sort, items: tree.items, article };
  const recent = useRef(new RecentEvents());
  /** The event numbers the shown essay and thread are current to (-1: not loaded). */
  const seqs = useRef({ article: -1, thread: -1 });
  const generation = useRef(0);
  /**
   * Counts the reader's follow changes: a read of the essay sent before one (the read that signing in starts, say) may
   * answer after it, with the state from before; the change made here then stands.
   */
  const followChanges = useRef(0);
  /**
   * Comments held for moderation that `total` counts and that the tree may not show as held (a moderator's held comment
   * on a page not loaded, the reader's own comment held here since): the server counts what the viewer sees, so a
   * moderator's total has every held comment and a reader's has their own.
   */
  const heldCounted = useRef(new Set<string>());
  const counted = (id: string, tree = now.current.items) =>
    heldCounted.current.has(id) || findNode(tree, id)?.status === 'pending';
  const addToTotal = (change: number) => {
    if (change !== 0) setTotal((n) => (n === null ? n : n + change));
  };
  /** A room event's change to the total, `tree` being the comments loaded; one no longer held is not counted as held. */
  const countEvent = (event: LiveEvent, tree: CommentNode[]): number => {
    const change = totalChange(event, {
      moderator: isModerator(now.current.me),
      userId: now.current.me?.id ?? null,
      countsHeld: (id) => counted(id, tree),
    });
    if (event.type === 'comment.created' || event.type === 'comment.restored')
      heldCounted.current.delete(event.comment.id);
    if (event.type === 'comment.deleted') heldCounted.current.delete(event.commentId);
    return change;
  };

  const refreshArticle = async () => {
    try {
      const changesBefore = followChanges.current;
      const fresh = await api.article(slug);
      if (fresh.seq < seqs.current.article) return; // an older read answered late
      seqs.current.article = fresh.seq;
      const current = recent.current.after(fresh.seq).reduce(applyToArticle, fresh);
      setArticle((shown) =>
        shown && changesBefore !== followChanges.current ? { ...current, following: shown.following } : current,
      );
      document.title = `${fresh.title} · Essay forum`;
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 404 ? 'There is no such essay.' : 'The essay could not be loaded.',
      );
    }
  };

  /** A top-level comment by someone else waits behind the "N new comments" button (unless a filter hides it). */
  const queue = (comment: Comment, shown: CommentNode[]) => {
    const { me: viewer, blockId: filter, stance: taken } = now.current;
    if (comment.parentId !== null || (filter && !quotedBlocks(comment).has(filter))) return;
    if (taken && comment.stance !== taken) return;
    if (viewer && comment.author?.id === viewer.id) return;
    if (contains(shown, comment.id)) return;
    setWaiting((queued) => (queued.some((c) => c.id === comment.id) ? queued : [...queued, comment]));
  };

  /**
   * The first page (`from` null) or the next. `shown`: the comments on the page, read again for a new viewer: as many
   * top-level ones as were shown and the replies they had open, so the reader loses neither their place nor what they
   * had opened.
   */
  const loadThread = async (from: string | null = null, shown?: CommentNode[]) => {
    const run = ++generation.current;
    try {
      const page = await api.thread(slug, {
        sort: now.current.sort,
        blockId: now.current.blockId,
        stance: now.current.stance,
        depth: THREAD_DEPTH,
        limit: shown ? Math.min(PAGE_LIMIT_MAX, Math.max(PAGE, shown.length)) : PAGE,
        cursor: from,
      });
      if (run !== generation.current) return;
      const read = shown ? await tree.reopen(page.items, shown) : page.items;
      if (run !== generation.current) return;
      const later = recent.current.after(page.seq);
      const moderator = isModerator(now.current.me);
      const items = later.reduce((nodes, event) => applyLiveEvent(nodes, event, moderator), read);
      if (from) {
        setItems((shown) => [...shown, ...items.filter((n) => !contains(shown, n.id))]);
      } else {
        seqs.current.thread = page.seq;
        heldCounted.current.clear();
        setItems(items);
        tree.resetCursors();
        setWaiting([]);
        setTotal(later.reduce((n, event) => n + countEvent(event, read), page.total));
        for (const event of later) if (event.type === 'comment.created') queue(event.comment, items);
      }
      setCursor(page.nextCursor);
      setThreadError(null);
    } catch (e) {
      if (run === generation.current)
        setThreadError(e instanceof ApiError ? e.message : 'The discussion could not be loaded.');
    }
  };

  const insertOwn = (comment: Comment) => {
    // The reader's own held comment counts for them (as it will after a reload), once.
    if (comment.status === 'pending' && !counted(comment.id)) {
      heldCounted.current.add(comment.id);
      addToTotal(1);
    }
    if (comment.parentId === null) {
      setItems((nodes) => (contains(nodes, comment.id) ? nodes : [toNode(comment), ...nodes]));
      setWaiting((queued) => queued.filter((c) => c.id !== comment.id));
    } else {
      setItems((nodes) => addReply(nodes, comment));
    }
  };

  const onEvent = (event: LiveEvent) => {
    recent.current.add(event);
    if (touchesFeatured(event, featuredIds.current)) setFeaturedVersion((n) => n + 1);
    const seq = event.seq ?? 0;
    if (seq > seqs.current.article) {
      setArticle((a) => a && applyToArticle(a, event));
      // Which passages the comment quoted is the server's to say: take the counts again.
      if (event.type === 'comment.deleted' || event.type === 'comment.removed' || event.type === 'comment.restored')
        void refreshArticle();
    }
    if (seq <= seqs.current.thread) return;
    const { me: viewer } = now.current;
    addToTotal(countEvent(event, now.current.items));
    switch (event.type) {
      case 'comment.created': {
        const comment = event.comment;
        if (comment.parentId !== null) {
          setItems((nodes) => addReply(nodes, comment));
          // A reply to a comment still waiting behind "N new comments": it is counted there, and loads once shown.
          setWaiting((queued) =>
            queued.map((c) => (c.id === comment.parentId ? { ...c, replyCount: c.replyCount + 1 } : c)),
          );
        } else if (viewer && comment.author?.id === viewer.id) insertOwn(comment);
        else queue(comment, now.current.items);
        return;
      }
      case 'comment.updated':
        setWaiting((queued) => queued.map((c) => (c.id === event.comment.id ? event.comment : c)));
        break;
      case 'article.updated':
        return;
      case 'article.revised':
        // The essay's text and every quote's anchor may have changed: read both again.
        void refreshArticle();
        void loadThread();
        return;
      default:
        break;
    }
    setItems((nodes) => applyLiveEvent(nodes, event, isModerator(viewer)));
  };

  useEffect(() => {
    let live: LiveArticle | null = null;
    let closed = false;
    seqs.current = { article: -1, thread: -1 };
    connectLive();
    void Promise.all([refreshArticle(), loadThread()]).then(() => {
      if (closed) return;
      const loaded = [seqs.current.article, seqs.current.thread].filter((s) => s >= 0);
      live = new LiveArticle(
        slug,
        {
          event: onEvent,
          own: insertOwn,
          presence: setPresence,
          resync: () => {
            void refreshArticle();
            void loadThread();
          },
          status: setStatus,
        },
        loaded.length > 0 ? Math.min(...loaded) : undefined,
      );
    });
    return () => {
      closed = true;
      live?.close();
    };
  }, [slug]);

  // A moderator decided on one of the reader's own comments: it changes here at once, without a reload. A held one
  // removed leaves their total (readers were never told of it); one approved or restored is counted by its room event.
  useEffect(
    () =>
      onNotification((notification) => {
        const comment = notification.comment;
        if (notification.kind === 'removed' && comment && counted(comment.id)) {
          heldCounted.current.delete(comment.id);
          addToTotal(-1);
        }
        setItems((nodes) => applyDecision(nodes, notification));
      }),
    [],
  );

  // A moderator's total counts every held comment: a new one from the moment it is held, until its author withdraws it.
  const moderating = (articleId: string) => now.current.article?.id === articleId && isModerator(now.current.me);
  useEffect(() => {
    const offs = [
      listen('moderation.queued', ({ articleId, comment, cause }) => {
        if (cause !== 'posted' || !moderating(articleId) || counted(comment.id)) return;
        heldCounted.current.add(comment.id);
        addToTotal(1);
      }),
      listen('moderation.withdrawn', ({ articleId, commentId }) => {
        if (!moderating(articleId)) return;
        heldCounted.current.delete(commentId);
        addToTotal(-1);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void loadThread();
  }, [sort, blockId, stance]);

  // Signed in or out on this page: the thread and the essay's `following` are the new reader's. What was shown is read
  // again: a comment the reader had reached with "More comments" or "Load more replies" (and was answering or voting
  // on, having signed in for it) stays on the page, where it was.
  const reader = useRef(me?.id);
  useEffect(() => {
    if (me === undefined || reader.current === me?.id) return;
    reader.current = me?.id;
    void loadThread(null, now.current.items);
    void refreshArticle();
  }, [me?.id]);

  useEffect(() => {
    if (article && embedded) embedded(article);
  }, [article]);
  // The host page asked for one passage's comments.
  useEffect(
    () =>
      embedded &&
      passageRequest.subscribe((request) => {
        if (request) setBlockId(request.blockId);
      }),
    [],
  );

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
      rules: article?.settings,
      baseDepth: 0,
      me,
      posted: insertOwn,
      updated: (comment) => {
        // The reader's edit sent their comment back to review: still theirs to count, held now. Its room event
        // (`comment.removed`) took it off the total if it came first (the tree shows it removed then).
        if (comment.status === 'pending' && !counted(comment.id)) {
          heldCounted.current.add(comment.id);
          if (findNode(now.current.items, comment.id)?.status === 'removed') addToTotal(1);
        }
        setItems((nodes) => replaceComment(nodes, comment));
      },
      deleted: (id) => {
        // Readers never saw a held comment go: no room event takes it off the total (a moderator's page is told by
        // `moderation.withdrawn`, as every moderator's is).
        if (counted(id) && !isModerator(now.current.me)) {
          heldCounted.current.delete(id);
          addToTotal(-1);
        }
        setItems((nodes) => markGone(nodes, id, 'deleted', false));
        void refreshArticle();
      },
      vote: tree.vote,
      loadMore: tree.loadMore,
    }),
    [slug, sort, article?.settings, me, tree.items],
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
      {me?.role === 'admin' && !embedded && (
        <p class="essay-admin">
          <a href={`/articles/${encodeURIComponent(slug)}/edit`}>Edit essay</a>
          <span class="muted"> · revision {article.revision}</span>
        </p>
      )}
      {/* The essay's margin writes comments too (at a passage): it posts into this thread. */}
      {!embedded && (
        <ThreadContext.Provider value={context}>
          <Essay article={article} filter={blockId} onFilter={filter} />
        </ThreadContext.Provider>
      )}
      <ThreadSection
        context={context}
        items={tree.items}
        total={total}
        error={threadError}
        presence={presence}
        status={status}
        sorts={SORTS}
        onSort={(chosen) => {
          keepSort(chosen);
          setSort(chosen);
        }}
        filter={blockId}
        onClearFilter={() => setBlockId(null)}
        stances={article.stances}
        stance={stance}
        onStance={(chosen) => {
          putStanceInAddress(chosen);
          setStance(chosen);
        }}
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
        featured={
          <FeaturedComments
            slug={slug}
            version={featuredVersion}
            onShown={(ids) => (featuredIds.current = new Set(ids))}
          />
        }
        follow={
          me ? (
            <FollowButton
              following={article.following}
              label="this essay"
              hint="Be notified of every new top-level comment on this essay"
              change={async (follow) => {
                await accountApi.followArticle(slug, follow);
                followChanges.current += 1;
                setArticle((a) => a && { ...a, following: follow });
              }}
            />
          ) : me === null ? (
            <button
              type="button"
              class="link follow"
              aria-haspopup="dialog"
              onClick={(e) =>
                askToSignIn(e, {
                  purpose: 'To follow this essay, sign in or create an account.',
                  // The Follow button that took this one's place: one more press follows.
                  then: () => document.querySelector<HTMLElement>('#discussion .discussion-head .follow')?.focus(),
                })
              }
            >
              Sign in to follow
            </button>
          ) : null
        }
      />
    </div>
  );
}
