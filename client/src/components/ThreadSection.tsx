import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { type Comment, type CommentNode, type Stance, STANCES, type ThreadSort } from '../api.js';
import type { LiveStatus } from '../live.js';
import { plural } from '../format.js';
import { quoteRequest } from '../quoting.js';
import { useStore } from '../store.js';
import { askToSignIn } from '../ui.js';
import { CommentItem, showSource } from './CommentItem.js';
import { ReplyBox } from './ReplyBox.js';
import { ThreadContext, type ThreadContextValue } from './thread-context.js';
import { FormError } from './FormError.js';
import { type StanceCounts, StanceTally } from './Stances.js';
import { ThreadBanNote } from './Notices.js';

const SORT_LABELS: Record<ThreadSort, string> = {
  best: 'Best',
  top: 'Top',
  new: 'Newest',
  old: 'Oldest',
  controversial: 'Controversial',
};

const STANCE_FILTER_LABELS: Record<Stance, string> = {
  agree: 'Agree',
  disagree: 'Disagree',
  question: 'Question',
  evidence: 'Evidence',
};

/** What the top-level comments a stance filter keeps do, in words. */
const STANCE_FILTER_NOTES: Record<Stance, string> = {
  agree: 'agree with the essay',
  disagree: 'disagree with the essay',
  question: 'ask a question of the essay',
  evidence: 'bring evidence to the essay',
};

interface Props {
  context: ThreadContextValue;
  items: CommentNode[];
  total: number | null;
  error: string | null;
  presence: number | null;
  status: LiveStatus;
  sorts: readonly ThreadSort[];
  onSort: (sort: ThreadSort) => void;
  filter: string | null;
  onClearFilter: () => void;
  /** The essay's stance tally, shown under the heading. */
  stances: StanceCounts;
  /** The stance the top-level comments are filtered by, or null for all of them. */
  stance: Stance | null;
  onStance: (stance: Stance | null) => void;
  waiting: Comment[];
  onShowWaiting: () => void;
  hasMore: boolean;
  onMore: () => void;
  /** Follow or unfollow the essay (or the way to sign in for it), beside the heading. */
  follow?: ComponentChildren;
  /** The featured comments, first in the discussion. */
  featured?: ComponentChildren;
}

/**
 * The article's discussion: the stance tally, a reply box, the sort and stance switches, new comments waiting behind
 * a button, the list.
 */
export function ThreadSection(props: Props) {
  const { context: t } = props;
  /** Bumped when the reader is back from signing in to comment: the box that took the button's place takes the focus. */
  const [focusBox, setFocusBox] = useState(0);
  // A passage quoted for the essay's box before the reader signed in (from a publisher's page, around the embedded
  // discussion): kept, and shown, until the box that takes it opens.
  const quoted = useStore(quoteRequest);
  const waiting = quoted?.parentId === null ? quoted : null;
  return (
    <ThreadContext.Provider value={t}>
      <section class="discussion" id="discussion" aria-labelledby="discussion-title">
        <div class="discussion-head">
          {/* The total is the whole discussion's, whatever the filter: the heading says when one is on. */}
          <h2 id="discussion-title">
            Discussion {props.total !== null && <span class="count">({props.total})</span>}
            {props.stance && <span class="heading-filter"> · filtered by stance</span>}
          </h2>
          {props.follow}
          <span class={props.status === 'live' ? 'presence' : 'presence offline'} aria-live="polite">
            {props.status === 'restarting'
              ? 'The server is restarting: reconnecting…'
              : props.status === 'reconnecting'
                ? 'Reconnecting…'
                : props.status === 'paused'
                  ? 'Live updates paused: retrying in a moment…'
                  : props.presence !== null
                    ? `${props.presence} following`
                    : ''}
          </span>
        </div>
        <StanceTally stances={props.stances} />
        {t.locked ? (
          <p class="notice-inline">This discussion is locked: no new comments.</p>
        ) : t.me ? (
          <ReplyBox focus={focusBox} />
        ) : t.me === null ? (
          <div class="join">
            {waiting && (
              <figure class="quote-draft">
                <blockquote>
                  <p>{waiting.quote.text}</p>
                </blockquote>
                <figcaption>Your quote waits here: sign in, and it is in your comment.</figcaption>
              </figure>
            )}
            <button
              type="button"
              class="primary"
              aria-haspopup="dialog"
              onClick={(e) =>
                askToSignIn(e, {
                  purpose: 'To comment, sign in or create an account. The comment box opens right here.',
                  then: () => setFocusBox((n) => n + 1),
                })
              }
            >
              Sign in to comment
            </button>
          </div>
        ) : null}
        {props.featured}
        <ThreadBanNote />
        <div class="sort" role="group" aria-label="Sort comments">
          {props.sorts.map((sort) => (
            <button key={sort} type="button" aria-pressed={sort === t.sort} onClick={() => props.onSort(sort)}>
              {SORT_LABELS[sort]}
            </button>
          ))}
        </div>
        <div class="sort stance-filter" role="group" aria-label="Show comments by stance">
          <span class="toolbar-label" aria-hidden="true">
            Stance:
          </span>
          <button type="button" aria-pressed={props.stance === null} onClick={() => props.onStance(null)}>
            All
          </button>
          {STANCES.map((stance) => (
            <button
              key={stance}
              type="button"
              aria-pressed={stance === props.stance}
              onClick={() => props.onStance(stance)}
            >
              {STANCE_FILTER_LABELS[stance]}
            </button>
          ))}
        </div>
        {props.stance && (
          <p class="filter-note">
            Showing the comments that {STANCE_FILTER_NOTES[props.stance]}, with their replies.{' '}
            <button type="button" class="link" onClick={() => props.onStance(null)}>
              Show every stance
            </button>
          </p>
        )}
        {props.filter && (
          <p class="filter-note">
            Showing the comments on{' '}
            <a
              href={`/articles/${encodeURIComponent(t.slug)}#block-${props.filter}`}
              onClick={(e) => showSource(e, `block-${props.filter}`)}
            >
              one passage
            </a>
            .{' '}
            <button type="button" class="link" onClick={props.onClearFilter}>
              Show all comments
            </button>
          </p>
        )}
        <div aria-live="polite">
          {props.waiting.length > 0 && (
            <button type="button" class="new-comments" onClick={props.onShowWaiting}>
              Show {plural(props.waiting.length, 'new comment')}
            </button>
          )}
        </div>
        <FormError message={props.error} />
        {props.items.length === 0 && props.total === 0 && (
          <p class="muted">{props.stance ? 'No comments take this stance.' : 'No comments yet.'}</p>
        )}
        <ol class="thread" aria-label="Comments">
          {props.items.map((node) => (
            <CommentItem key={node.id} node={node} />
          ))}
        </ol>
        {props.hasMore && (
          <button type="button" class="more-comments" onClick={props.onMore}>
            More comments
          </button>
        )}
      </section>
    </ThreadContext.Provider>
  );
}
