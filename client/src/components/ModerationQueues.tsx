import { useEffect, useRef, useState } from 'preact/hooks';
import { api, moderationApi, type Queue, type QueueCounts, type QueueItem, QUEUES } from '../api.js';
import { listen } from '../live.js';
import { queueCounts } from '../moderation-counts.js';
import { useStore } from '../store.js';
import { FormError } from './FormError.js';
import { errorMessage } from './moderation-shared.js';
import { ModerationQueueItem } from './ModerationQueueItem.js';

const QUEUE_LABELS: Record<Queue, string> = { pending: 'Pending', reported: 'Reported', removed: 'Removed' };

/** The queue to open on: the first that holds anything, in the tabs' order (pending when all are empty). */
function firstNonEmpty(counts: QueueCounts): Queue {
  return QUEUES.find((q) => counts[q] > 0) ?? 'pending';
}

/**
 * The three queues, one shown at a time, paged; each tab says how many it holds (live); new comments arrive live. The
 * page opens on the first queue that holds anything, so a report is not hidden behind an empty Pending tab.
 */
export function ModerationQueues() {
  const [queue, setQueue] = useState<Queue | null>(null);
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const counts = useStore(queueCounts);
  const shown = useRef(queue);
  shown.current = queue;
  const heading = useRef<HTMLHeadingElement>(null);

  const load = async (which: Queue, from: string | null) => {
    try {
      const page = await api.queue(which, from);
      if (shown.current !== which) return;
      setItems((list) => [
        ...(from ? (list ?? []) : []),
        ...page.items.filter((i) => !from || !list?.some((s) => s.id === i.id)),
      ]);
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(errorMessage(e, 'The queue could not be loaded.'));
    }
  };

  // Read here rather than waiting on the header's counts: the page must open even if that read failed.
  useEffect(() => {
    moderationApi.summary().then(
      (read) => setQueue((chosen) => chosen ?? firstNonEmpty(read)),
      () => setQueue((chosen) => chosen ?? 'pending'),
    );
  }, []);

  useEffect(() => {
    if (queue === null) return;
    setItems(null);
    void load(queue, null);
  }, [queue]);

  // New pending comments arrive live (sent to the moderators' connections): no polling.
  useEffect(
    () =>
      listen('moderation.queued', ({ comment }) => {
        // A new pending comment, or a visible one just reported.
        const target: Queue = comment.status === 'pending' ? 'pending' : 'reported';
        if (shown.current !== target) return;
        // The event names the article by id: the queue's own item brings the slug and the reports.
        void api.queue(target).then((page) => {
          const full = page.items.find((i) => i.id === comment.id);
          if (!full || shown.current !== target) return;
          setItems((list) =>
            list?.some((i) => i.id === full.id)
              ? list.map((i) => (i.id === full.id ? full : i))
              : [...(list ?? []), full],
          );
        });
      }),
    [],
  );

  const gone = (id: string) => {
    setItems((list) => {
      const index = list?.findIndex((i) => i.id === id) ?? -1;
      const next = list?.filter((i) => i.id !== id) ?? null;
      const focus = next?.[Math.min(index, next.length - 1)];
      queueMicrotask(() => (focus ? document.getElementById(`queued-${focus.id}`) : heading.current)?.focus());
      return next;
    });
  };

  return (
    <section id="queues" class="queues" aria-labelledby="queue-title">
      <h2 id="queue-title" tabIndex={-1} ref={heading}>
        Queues
      </h2>
      <div class="sort" role="group" aria-label="Queue">
        {QUEUES.map((q) => (
          <button key={q} type="button" aria-pressed={q === queue} onClick={() => setQueue(q)}>
            {QUEUE_LABELS[q]}
            {counts && ` (${counts[q]})`}
          </button>
        ))}
      </div>
      <FormError message={error} />
      {(queue === null || items === null) && !error && <p class="muted">Loading…</p>}
      {items?.length === 0 && <p class="muted">Nothing here. Well done.</p>}
      {queue && items && items.length > 0 && (
        <ol class="queue plain" aria-label={`${QUEUE_LABELS[queue]} comments`} aria-live="polite">
          {items.map((item) => (
            <ModerationQueueItem key={item.id} item={item} queue={queue} onGone={gone} />
          ))}
        </ol>
      )}
      {queue && cursor && (
        <button type="button" onClick={() => void load(queue, cursor)}>
          More
        </button>
      )}
    </section>
  );
}
