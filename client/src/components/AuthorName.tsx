import { type User } from '../api.js';

const ROLE_BADGES: Record<User['role'], string | null> = { reader: null, moderator: 'Moderator', admin: 'Admin' };

/** The address of a user's public profile. */
export function profileHref(user: Pick<User, 'username'>): string {
  return `/users/${encodeURIComponent(user.username)}`;
}

/**
 * Who wrote something, so that nobody passes for someone else: the display name anyone may choose (a link to their
 * profile), then the unique `@username` (muted), then a badge for moderators and admins, written out in words (not a
 * colour alone). `link={false}` where the name sits inside another control (a suggestion to pick).
 */
export function AuthorName({ user, link = true }: { user: User; link?: boolean }) {
  return (
    <>
      {link ? (
        <a class="author" href={profileHref(user)}>
          {user.displayName}
        </a>
      ) : (
        <span class="author">{user.displayName}</span>
      )}{' '}
      <UsernameAndRole user={user} />
    </>
  );
}

/** The `@username` and role badge alone, beside a name shown some other way (a link, a bold name). */
export function UsernameAndRole({ user }: { user: User }) {
  const badge = ROLE_BADGES[user.role];
  return (
    <>
      <span class="username muted">@{user.username}</span>
      {badge && ' '}
      {badge && <span class={`badge role-badge role-${user.role}`}>{badge}</span>}
    </>
  );
}
