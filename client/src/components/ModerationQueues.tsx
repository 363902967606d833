import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Queue, type QueueItem, QUEUES } from '../api.js';
import { listen } from '../live.js';
import { FormError } from './FormError.js';
import { errorMessage } from './moderation-shared.js';
import { ModerationQueueItem } from './ModerationQueueItem.js';

const QUEUE_LABELS: Record<Queue, string> = { pending: 'Pending', reported: 'Reported', removed: 'Removed' };

/** The three queues, one shown at a time, paged; new pending comments arrive live. */
export function ModerationQueues() {
  const [queue, setQueue] = useState<Queue>('pending');
  const [items, setItems] = useState<QueueItem[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [arrived, setArrived] = useState(0);
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

  useEffect(() => {
    setItems(null);
    if (queue === 'pending') setArrived(0);
    void load(queue, null);
  }, [queue]);

  // New pending comments arrive live (sent to the moderators' connections): no polling.
  useEffect(
    () =>
      listen('moderation.queued', ({ comment }) => {
        // A new pending comment, or a visible one just reported.
        const target: Queue = comment.status === 'pending' ? 'pending' : 'reported';
        if (shown.current !== target) {
          if (target === 'pending') setArrived((n) => n + 1);
          return;
        }
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
            {q === 'pending' && arrived > 0 && ` (${arrived} new)`}
          </button>
        ))}
      </div>
      <FormError message={error} />
      {items === null && !error && <p class="muted">Loading…</p>}
      {items?.length === 0 && <p class="muted">Nothing here. Well done.</p>}
      {items && items.length > 0 && (
        <ol class="queue plain" aria-label={`${QUEUE_LABELS[queue]} comments`} aria-live="polite">
          {items.map((item) => (
            <ModerationQueueItem key={item.id} item={item} queue={queue} onGone={gone} />
          ))}
        </ol>
      )}
      {cursor && (
        <button type="button" onClick={() => void load(queue, cursor)}>
          More
        </button>
      )}
    </section>
  );
}
