/**
 * The one door to the server's public API (openapi.json, docs/api-conventions.md). Types come from the server's own
 * DTOs, imported as types only: nothing of the server reaches the bundle. The session is the httpOnly cookie that
 * register and login set; `same-origin` fetches send it, and the browser adds the Origin header that the server
 * checks on cookie writes. In the embedded discussion the session is a bearer token instead (bearer.ts).
 */
import type {
  ArticleDto,
  ArticlePageDto,
  ArticleSettingsDto,
  ArticleSummaryDto,
  BlockDto,
} from '../../src/articles/dto/article.dto.js';
import type {
  CommentDto,
  CommentNodeDto,
  PermalinkDto,
  RepliesPageDto,
  ThreadPageDto,
} from '../../src/comments/dto/comment.dto.js';
import type {
  ArticleRevisionDto,
  ArticleSourceDto,
  EssayPreviewDto,
  QuoteOutcomesDto,
  RevisionListDto,
  RevisionPreviewDto,
  RevisionSummaryDto,
} from '../../src/articles/dto/update-article.dto.js';
import type { CommentPreviewDto, HistoryDto, RevisionDto } from '../../src/comments/dto/write-comment.dto.js';
import type { MentionSuggestionsDto } from '../../src/comments/dto/mention-suggestions.dto.js';
import type { Stance } from '../../src/comments/comment.entity.js';
import type { ThreadSort } from '../../src/comments/thread-sort.js';
import type { UserDto } from '../../src/users/dto/user.dto.js';
import type { AuthResultDto } from '../../src/auth/dto/auth.dto.js';
import { bearerRefused, bearerToken } from './bearer.js';
import type { ProfileCommentDto, ProfileCommentsPageDto, ProfileDto } from '../../src/profiles/dto/profile.dto.js';
import type { SearchPageDto, SearchResultDto } from '../../src/search/dto/search.dto.js';
import type { MeDto, OwnBanDto } from '../../src/auth/dto/auth.dto.js';
import type { AccountDto, UserAccountDto } from '../../src/auth/dto/account.dto.js';
import type { EmailNotifications } from '../../src/common/limits.js';
import type {
  NotificationDto,
  NotificationPageDto,
  UnreadCountDto,
} from '../../src/notifications/dto/notification.dto.js';
import type { BanResultDto, QueueItemDto, QueuePageDto, Queue } from '../../src/moderation/dto/moderation.dto.js';
import type { ReportReason } from '../../src/moderation/report.entity.js';
import type {
  AuthorRecordDto,
  BannedUserDto,
  BansPageDto,
  CommentReportsPageDto,
  QueueReportDto,
  BannedWordsListDto,
  LogEntryDto,
  LogPageDto,
  ModerationSummaryDto,
} from '../../src/moderation/dto/moderation.dto.js';

export type {
  ArticleDto as Article,
  ArticleSummaryDto as ArticleSummary,
  ArticleSettingsDto as ArticleSettings,
  BlockDto as Block,
  CommentDto as Comment,
  CommentNodeDto as CommentNode,
  HistoryDto as HistoryPage,
  RevisionDto as Revision,
  ThreadPageDto as ThreadPage,
  PermalinkDto as Permalink,
  UserDto as User,
  OwnBanDto as OwnBan,
  AccountDto as Account,
  EmailNotifications,
  NotificationDto as Notification,
  QueueItemDto as QueueItem,
  Queue,
  ReportReason,
  Stance,
  ThreadSort,
};

/** Limits and vocabularies: the server's own constants (src/common/limits.ts, plain values), so the two agree. */
export {
  COMMENT_BODY_MAX,
  DISPLAY_NAME_MAX,
  EMAIL_MAX,
  EMAIL_NOTIFICATIONS,
  LOGIN_USERNAME_MAX,
  MENTION_PREFIX_MIN,
  MODERATION_REASON_MAX,
  PAGE_LIMIT_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  QUEUES,
  SEARCH_QUERY_MAX,
  QUOTE_MAX as MAX_QUOTE,
  REPORT_NOTE_MAX,
  REPORT_REASONS,
  STANCES,
  THREAD_SORTS as SORTS,
  USERNAME_CHARACTERS,
  USERNAME_MAX,
  USERNAME_MIN,
  USERNAME_PATTERN,
} from '../../src/common/limits.js';

/** An answer other than 2xx, with the contract's error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter: number | null,
    /** The sentences of a validation error, one per fault (each starts with the field's name); else empty. */
    readonly messages: string[] = [],
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<T> {
  const token = bearerToken();
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    signal,
  };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}`, init);
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Check the connection and try again.', null);
  }
  if (res.status === 401 && token !== null && token === bearerToken()) {
    // The embedded session ended (signed out elsewhere, expired): the frame reads on as anonymous.
    bearerRefused();
    if (method === 'GET') return request<T>(method, path, body, headers, signal);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as unknown;
  if (!res.ok) {
    const error = (data ?? {}) as { error?: unknown; message?: unknown };
    const message = Array.isArray(error.message)
      ? error.message.join(' ')
      : typeof error.message === 'string'
        ? error.message
        : res.statusText;
    const retryAfter = Number(res.headers.get('Retry-After'));
    throw new ApiError(
      res.status,
      typeof error.error === 'string' ? error.error : 'error',
      message,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      Array.isArray(error.message) ? error.message.filter((m): m is string => typeof m === 'string') : [message],
    );
  }
  return data as T;
}

/** A random key for one draft (`crypto.randomUUID` needs a secure context; this does not). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export type NewQuote =
  { source: 'article'; blockId: string; text: string } | { source: 'comment'; commentId: string; text: string };

export interface NewComment {
  body: string;
  parentId?: string;
  stance?: Stance;
  quote?: NewQuote;
}

export type ModerationAct = 'approve' | 'remove' | 'restore';

export interface TreeOptions {
  sort?: ThreadSort;
  depth?: number;
  limit?: number;
  cursor?: string | null;
}

export const api = {
  me: () => request<MeDto>('GET', '/auth/me'),
  register: (username: string, password: string, displayName?: string) =>
    request<MeDto>('POST', '/auth/register', {
      username,
      password,
      ...(displayName ? { displayName } : {}),
    }),
  login: (username: string, password: string) => request<MeDto>('POST', '/auth/login', { username, password }),
  logout: () => request<void>('POST', '/auth/logout'),
  /** A session with a token of its own, which the sign-in popup hands to the embedded discussion. */
  openSession: () => request<AuthResultDto>('POST', '/auth/sessions'),

  articles: (cursor?: string | null) => request<ArticlePageDto>('GET', withQuery('/articles', { cursor })),
  article: (slug: string) => request<ArticleDto>('GET', `/articles/${encodeURIComponent(slug)}`),
  articleByUrl: (url: string) => request<ArticleDto>('GET', withQuery('/articles/by-url', { url })),

  thread: (
    slug: string,
    options: TreeOptions & { blockId?: string | null; stance?: Stance | null; featured?: boolean } = {},
  ) =>
    request<ThreadPageDto>(
      'GET',
      withQuery(`/articles/${encodeURIComponent(slug)}/comments`, {
        ...options,
        featured: options.featured ? 'true' : undefined,
      }),
    ),
  comment: (id: string, options: TreeOptions = {}) =>
    request<PermalinkDto>('GET', withQuery(`/comments/${encodeURIComponent(id)}`, { ...options })),
  replies: (id: string, options: TreeOptions = {}) =>
    request<RepliesPageDto>('GET', withQuery(`/comments/${encodeURIComponent(id)}/replies`, { ...options })),

  postComment: (slug: string, comment: NewComment, idempotencyKey: string) =>
    request<CommentDto>('POST', `/articles/${encodeURIComponent(slug)}/comments`, comment, {
      'Idempotency-Key': idempotencyKey,
    }),
  vote: (id: string, value: -1 | 0 | 1) =>
    request<{ score: number; upvotes: number; downvotes: number; myVote: number }>(
      'PUT',
      `/comments/${encodeURIComponent(id)}/vote`,
      { value },
    ),
  previewComment: (body: string) => request<CommentPreviewDto>('POST', '/comments/preview', { body }),
  editComment: (id: string, body: string) =>
    request<CommentDto>('PATCH', `/comments/${encodeURIComponent(id)}`, { body }),
  deleteComment: (id: string) => request<void>('DELETE', `/comments/${encodeURIComponent(id)}`),
  history: (id: string, cursor?: string | null) =>
    request<HistoryDto>('GET', withQuery(`/comments/${encodeURIComponent(id)}/history`, { cursor })),
  report: (id: string, reason: ReportReason, note?: string) =>
    request<unknown>('POST', `/comments/${encodeURIComponent(id)}/reports`, { reason, ...(note ? { note } : {}) }),

  queue: (status: Queue, cursor?: string | null) =>
    request<QueuePageDto>('GET', withQuery('/moderation/queue', { status, cursor, limit: 20 })),
  feature: (id: string, featured: boolean) =>
    request<CommentDto>(featured ? 'POST' : 'DELETE', `/moderation/comments/${encodeURIComponent(id)}/feature`),
  moderate: (act: ModerationAct, id: string, reason?: string) =>
    request<CommentDto>('POST', `/moderation/comments/${encodeURIComponent(id)}/${act}`, reason ? { reason } : {}),
  ban: (userId: string, reason: string, until?: string) =>
    request<BanResultDto>('POST', `/moderation/users/${encodeURIComponent(userId)}/ban`, {
      reason,
      ...(until ? { until } : {}),
    }),
  settings: (slug: string, settings: Partial<ArticleSettingsDto>) =>
    request<ArticleSettingsDto>('PATCH', `/articles/${encodeURIComponent(slug)}/settings`, settings),
};

// The moderators' lists and tools beyond the queues: bans in force, the banned-word list, the moderation log.
export type {
  AuthorRecordDto as AuthorRecord,
  BannedUserDto as BannedUser,
  CommentReportsPageDto as CommentReportsPage,
  LogEntryDto as LogEntry,
  LogPageDto as LogPage,
  ModerationSummaryDto as QueueCounts,
  QueueReportDto as QueueReport,
};

export const moderationApi = {
  summary: () => request<ModerationSummaryDto>('GET', '/moderation/summary'),
  bans: (cursor?: string | null) => request<BansPageDto>('GET', withQuery('/moderation/bans', { cursor, limit: 20 })),
  unban: (userId: string) => request<void>('DELETE', `/moderation/users/${encodeURIComponent(userId)}/ban`),
  bannedWords: () => request<BannedWordsListDto>('GET', '/moderation/banned-words'),
  saveBannedWords: (words: string[]) => request<BannedWordsListDto>('PUT', '/moderation/banned-words', { words }),
  log: (cursor?: string | null) => request<LogPageDto>('GET', withQuery('/moderation/log', { cursor, limit: 20 })),
  /** One comment's reports (open and closed), what moderators did to it, and its author's record: beside a comment. */
  commentReports: (id: string, cursor?: string | null) =>
    request<CommentReportsPageDto>(
      'GET',
      withQuery(`/moderation/comments/${encodeURIComponent(id)}/reports`, { cursor, limit: 10 }),
    ),
  commentHistory: (id: string, cursor?: string | null) =>
    request<LogPageDto>(
      'GET',
      withQuery(`/moderation/comments/${encodeURIComponent(id)}/history`, { cursor, limit: 10 }),
    ),
  authorRecord: (userId: string, cursor?: string | null) =>
    request<AuthorRecordDto>(
      'GET',
      withQuery(`/moderation/users/${encodeURIComponent(userId)}/record`, { cursor, limit: 10 }),
    ),
};

export interface AccountChange {
  displayName?: string;
  email?: string | null;
  emailNotifications?: EmailNotifications;
  timeZone?: string | null;
}

/** The reader's own account (e-mail, password, notification setting), their inbox, and what they follow. */
export const accountApi = {
  update: (change: AccountChange) => request<UserAccountDto>('PATCH', '/auth/me', change),
  verifyEmail: (token: string) => request<UserAccountDto>('POST', '/auth/verify-email', { token }),
  resendVerification: () => request<void>('POST', '/auth/verify-email/resend'),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('POST', '/auth/password', { currentPassword, newPassword }),
  requestReset: (email: string) => request<void>('POST', '/auth/password-reset', { email }),
  confirmReset: (token: string, password: string) =>
    request<void>('POST', '/auth/password-reset/confirm', { token, password }),
  /** Deletes the account for good (`DELETE /api/auth/me`): a wrong password is a 401 and nothing changes. */
  deleteAccount: (password: string) => request<void>('DELETE', '/auth/me', { password }),

  notifications: (options: { limit?: number; cursor?: string | null; unread?: boolean } = {}) =>
    request<NotificationPageDto>(
      'GET',
      withQuery('/notifications', {
        limit: options.limit,
        cursor: options.cursor,
        unread: options.unread ? 'true' : undefined,
      }),
    ),
  markRead: (ids?: string[]) => request<UnreadCountDto>('POST', '/notifications/read', ids ? { ids } : {}),
  /** The users whose username starts with `prefix`: `@` autocomplete in the composer. */
  suggestUsers: (prefix: string) => request<MentionSuggestionsDto>('GET', withQuery('/users/suggest', { prefix })),

  followArticle: (slug: string, follow: boolean) =>
    request<void>(follow ? 'PUT' : 'DELETE', `/articles/${encodeURIComponent(slug)}/follow`),
  followComment: (id: string, follow: boolean) =>
    request<void>(follow ? 'PUT' : 'DELETE', `/comments/${encodeURIComponent(id)}/follow`),
};

export type {
  RevisionSummaryDto as EssayRevisionSummary,
  ArticleRevisionDto as EssayRevision,
  EssayPreviewDto as EssayPreview,
  RevisionPreviewDto as RevisionPreview,
  QuoteOutcomesDto as QuoteOutcomes,
};

/** A new essay (`POST /api/articles`); its slug comes from the title. */
export interface NewEssay {
  title: string;
  author: string;
  body: string;
  tags?: string[];
  canonicalUrl?: string | null;
}

/** What an admin may change of a published essay (`PATCH /api/articles/:slug`); the slug never changes. */
export interface EssayChange {
  title?: string;
  author?: string;
  body?: string;
  tags?: string[];
  canonicalUrl?: string | null;
}

/**
 * An admin's essays: publishing, edits, the live previews of a draft (the signal drops a preview the draft has
 * outgrown), and the essay's revisions (public, like the essay).
 */
export const essayApi = {
  publish: (essay: NewEssay) => request<ArticleDto>('POST', '/articles', essay),
  preview: (body: string, signal?: AbortSignal) =>
    request<EssayPreviewDto>('POST', '/articles/preview', { body }, {}, signal),
  previewRevision: (slug: string, body: string, signal?: AbortSignal) =>
    request<RevisionPreviewDto>('POST', `/articles/${encodeURIComponent(slug)}/preview`, { body }, {}, signal),
  source: (slug: string) => request<ArticleSourceDto>('GET', `/articles/${encodeURIComponent(slug)}/source`),
  update: (slug: string, change: EssayChange) =>
    request<ArticleDto>('PATCH', `/articles/${encodeURIComponent(slug)}`, change),
  revisions: (slug: string) => request<RevisionListDto>('GET', `/articles/${encodeURIComponent(slug)}/revisions`),
  revision: (slug: string, revision: number) =>
    request<ArticleRevisionDto>('GET', `/articles/${encodeURIComponent(slug)}/revisions/${revision}`),
};

export type { ProfileDto as Profile, ProfileCommentDto as ProfileComment, SearchResultDto as SearchResult };

/** Public profiles and full-text search: reads anyone may make (signed in, a reader also finds their own pending). */
export const findApi = {
  profile: (username: string) => request<ProfileDto>('GET', `/users/${encodeURIComponent(username)}`),
  userComments: (username: string, cursor?: string | null) =>
    request<ProfileCommentsPageDto>(
      'GET',
      withQuery(`/users/${encodeURIComponent(username)}/comments`, { cursor, limit: 20 }),
    ),
  search: (q: string, cursor?: string | null) =>
    request<SearchPageDto>('GET', withQuery('/search', { q, cursor, limit: 20 })),
};
