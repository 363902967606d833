import { type User } from '../api.js';

const ROLE_BADGES: Record<User['role'], string | null> = { reader: null, moderator: 'Moderator', admin: 'Admin' };

/**
 * Who wrote something, so that nobody passes for someone else: the display name anyone may choose, then the unique
 * `@username` (muted), then a badge for moderators and admins, written out in words (not a colour alone).
 */
export function AuthorName({ user }: { user: User }) {
  return (
    <>
      <span class="author">{user.displayName}</span> <UsernameAndRole user={user} />
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
