import { useEffect, useState } from 'preact/hooks';
import { ApiError, findApi, type Profile, type ProfileComment } from '../api.js';
import { formatDate, plural, timeAgo } from '../format.js';
import { FormError } from './FormError.js';
import { UsernameAndRole } from './AuthorName.js';
import { PageNotice } from './PageNotice.js';

/** One of the user's comments: where it was written, when, and its text, with the way to it in its thread. */
function ProfileCommentItem({ comment }: { comment: ProfileComment }) {
  return (
    <li class="profile-comment">
      <p class="profile-comment-where">
        On <a href={`/articles/${encodeURIComponent(comment.article.slug)}`}>{comment.article.title}</a>{' '}
        <time class="muted" dateTime={comment.createdAt}>
          {timeAgo(comment.createdAt)}
        </time>
        {comment.status === 'pending' && <span class="badge">Awaiting a moderator</span>}
        {comment.status === 'removed' && <span class="badge">Removed</span>}
      </p>
      {/* The server's sanitised rendering. */}
      {comment.html !== null && <div class="comment-body" dangerouslySetInnerHTML={{ __html: comment.html }} />}
      <p>
        <a href={`/comments/${encodeURIComponent(comment.id)}`}>Open the comment in its thread</a>
      </p>
    </li>
  );
}

/** `/users/:username`: who the user is, when they joined, how many comments, and their comments newest first. */
export function ProfileView({ username }: { username: string }) {
  const [profile, setProfile] = useState<Profile | null | 'missing'>(null);
  const [comments, setComments] = useState<ProfileComment[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const loadComments = async (from: string | null) => {
    try {
      const page = await findApi.userComments(username, from);
      setComments((shown) => [...(from ? (shown ?? []) : []), ...page.items]);
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The comments could not be loaded.');
    }
  };

  useEffect(() => {
    void (async () => {
      try {
        const found = await findApi.profile(username);
        setProfile(found);
        document.title = `${found.user.displayName} · Essay forum`;
        await loadComments(null);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          setProfile('missing');
          document.title = 'Not found · Essay forum';
        } else setError(e instanceof ApiError ? e.message : 'The profile could not be loaded.');
      }
    })();
  }, [username]);

  if (profile === 'missing') return <PageNotice title="Not found" text="There is no such user." />;
  return (
    <section class="profile" aria-labelledby="profile-title">
      {profile && (
        <header class="profile-header">
          <h1 id="profile-title">{profile.user.displayName}</h1>
          <p class="byline">
            <UsernameAndRole user={profile.user} />
            {' · '}
            Joined <time dateTime={profile.joinedAt}>{formatDate(profile.joinedAt)}</time>
            {' · '}
            <span class="count">{plural(profile.commentCount, 'comment')}</span>
          </p>
        </header>
      )}
      <FormError message={error} />
      {(profile === null || comments === null) && !error && <p class="muted">Loading…</p>}
      {profile && comments && (
        <>
          <h2>Comments</h2>
          {comments.length === 0 ? (
            <p class="muted">No comments yet.</p>
          ) : (
            <ul class="plain profile-comments">
              {comments.map((c) => (
                <ProfileCommentItem key={c.id} comment={c} />
              ))}
            </ul>
          )}
          {cursor && (
            <button type="button" onClick={() => void loadComments(cursor)}>
              More comments
            </button>
          )}
        </>
      )}
    </section>
  );
}
