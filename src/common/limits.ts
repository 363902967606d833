/**
 * The forum's limits and vocabularies in one place: imported by the server's DTOs and entities and by the web client
 * (client/src), so the two cannot drift. Plain constants only: this file imports nothing, has no decorators, and
 * must stay safe to bundle into the browser. The server's values are the contract; change them here and the client
 * follows.
 */

/** Usernames: 3-32 characters of A-Z, a-z, 0-9, _ and -. */
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 32;
export const USERNAME_PATTERN = `^[A-Za-z0-9_-]{${USERNAME_MIN},${USERNAME_MAX}}$`;
/** The pattern's characters in words: the sign-up form shows them before a refusal says them again. */
export const USERNAME_CHARACTERS = 'A-Z, a-z, 0-9, _ and -';
/** What the sign-in form accepts as a username (longer than a valid one, so an old or odd name still gets an answer). */
export const LOGIN_USERNAME_MAX = 64;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
/** In Unicode code points. */
export const DISPLAY_NAME_MAX = 64;
/** An e-mail address (RFC 5321's longest path). */
export const EMAIL_MAX = 254;
/** How a user hears of notifications by mail: not at all, each within a minute, or one digest a day. */
export const EMAIL_NOTIFICATIONS = ['off', 'instant', 'daily'] as const;
export type EmailNotifications = (typeof EMAIL_NOTIFICATIONS)[number];
/** An IANA time zone's name (the longest today, `America/Argentina/ComodRivadavia`, has 32 characters). */
export const TIME_ZONE_MAX = 64;

/** A comment's body, in Unicode code points. */
export const COMMENT_BODY_MAX = 10_000;
/** A quoted passage, in Unicode code points. */
export const QUOTE_MAX = 2_000;
/** Edits one comment may have: its history stays bounded (a 409 past it). */
export const MAX_EDITS = 50;
/** Distinct `@names` one comment may link (and notify); further names stay plain text. */
export const MENTIONS_MAX = 50;
/** `@` autocomplete: the typed start of a username (2-30 of its characters) and how many names it suggests at most. */
export const MENTION_PREFIX_MIN = 2;
export const MENTION_PREFIX_MAX = 30;
export const MENTION_PREFIX_PATTERN = `^[A-Za-z0-9_-]{${MENTION_PREFIX_MIN},${MENTION_PREFIX_MAX}}$`;
export const MENTION_SUGGESTIONS_MAX = 8;
/** The note a reader may add to a report. */
export const REPORT_NOTE_MAX = 1_000;
/** A moderator's reason (for a removal, a ban, ...). */
export const MODERATION_REASON_MAX = 500;

/** A search query, in characters after trimming. */
export const SEARCH_QUERY_MAX = 200;

/** Pages: `limit` from 1 to PAGE_LIMIT_MAX, PAGE_LIMIT_DEFAULT when absent. */
export const PAGE_LIMIT_DEFAULT = 20;
export const PAGE_LIMIT_MAX = 100;
/** Notification ids one mark-read request may name (without ids it marks every one). */
export const MARK_READ_IDS_MAX = 100;
/** Essays and threads one user may follow at once (then they unfollow some first). */
export const FOLLOWS_MAX = 5_000;
/** Reply levels a thread request may ask for at once. */
export const THREAD_DEPTH_DEFAULT = 3;
export const THREAD_DEPTH_MAX = 10;

export const STANCES = ['agree', 'disagree', 'question', 'evidence'] as const;
export type Stance = (typeof STANCES)[number];
export const QUOTE_SOURCES = ['article', 'comment'] as const;
export type QuoteSource = (typeof QUOTE_SOURCES)[number];
/** How an article quote stands after the essay's latest revision (exact until a revision says otherwise). */
export const QUOTE_ANCHORS = ['exact', 'moved', 'changed', 'orphaned'] as const;
export type QuoteAnchor = (typeof QUOTE_ANCHORS)[number];
/** Characters of a block's text kept before and after an article quote (its selector), and accepted as hints. */
export const QUOTE_CONTEXT_STORED = 32;
export const QUOTE_CONTEXT_MAX = 64;
export const REPORT_REASONS = ['spam', 'abuse', 'off-topic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export const THREAD_SORTS = ['best', 'top', 'new', 'old', 'controversial'] as const;
export type ThreadSort = (typeof THREAD_SORTS)[number];
export const QUEUES = ['pending', 'reported', 'removed'] as const;
export type Queue = (typeof QUEUES)[number];
export const USER_ROLES = ['reader', 'moderator', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];
