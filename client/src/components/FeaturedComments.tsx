import { useEffect, useState } from 'preact/hooks';
import { api, type Comment } from '../api.js';
import { AuthorName } from './AuthorName.js';

/** Featured comments shown above the discussion: a few, as a moderator picks them, not a page of the thread. */
const SHOWN = 5;

/**
 * The comments a moderator featured, first in the discussion: each its author, its text (cut to a few lines) and a
 * link to it in the thread. Read with the thread's own `?featured=true` filter; read again whenever `version` moves
 * (a live `comment.featured`, or a featured comment removed, deleted, restored or edited: see touchesFeatured); the
 * ids shown are told to `onShown`. Nothing shows when none is featured.
 */
export function FeaturedComments({
  slug,
  version,
  onShown,
}: {
  slug: string;
  version: number;
  onShown: (ids: string[]) => void;
}) {
  const [items, setItems] = useState<Comment[]>([]);
  useEffect(() => {
    let live = true;
    api.thread(slug, { featured: true, depth: 0, limit: SHOWN, sort: 'new' }).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        onShown(page.items.map((c) => c.id));
      },
      // The thread below says when the server cannot be reached; this is an extra.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [slug, version]);
  if (items.length === 0) return null;
  return (
    <section class="featured" aria-labelledby="featured-title">
      <h3 id="featured-title">Featured by the moderators</h3>
      <ol class="plain">
        {items.map((comment) => (
          <li key={comment.id} class="featured-item">
            {comment.author && <AuthorName user={comment.author} />}
            {/* The server's sanitised rendering, as in the thread. */}
            <div class="featured-body" dangerouslySetInnerHTML={{ __html: comment.html ?? '' }} />
            <a href={`#comment-${comment.id}`} class="featured-link">
              Read it in the discussion
            </a>
          </li>
        ))}
      </ol>
    </section>
  );
}
