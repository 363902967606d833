/** Every error the domain can raise, each with the HTTP status the contract gives it. */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  MalformedJson = 'malformed_json',
  /** The HTTP request itself could not be parsed (answered before any route: see client-errors.ts). */
  MalformedRequest = 'malformed_request',
  RequestTimeout = 'request_timeout',
  HeadersTooLarge = 'headers_too_large',
  PayloadTooLarge = 'payload_too_large',
  UnsupportedMediaType = 'unsupported_media_type',
  BadCursor = 'bad_cursor',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  ArticleNotFound = 'article_not_found',
  CommentNotFound = 'comment_not_found',
  UserNotFound = 'user_not_found',
  Conflict = 'conflict',
  QuoteNotInSource = 'quote_not_in_source',
  /** A reply to a comment already at the deepest depth a thread may reach. */
  ThreadTooDeep = 'thread_too_deep',
  RateLimited = 'rate_limited',
  ServiceUnavailable = 'service_unavailable',
  Internal = 'internal_error',
}

export const ERROR_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.MalformedJson]: 400,
  [ErrorCode.MalformedRequest]: 400,
  [ErrorCode.RequestTimeout]: 408,
  [ErrorCode.HeadersTooLarge]: 431,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.BadCursor]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.ArticleNotFound]: 404,
  [ErrorCode.CommentNotFound]: 404,
  [ErrorCode.UserNotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.QuoteNotInSource]: 422,
  [ErrorCode.ThreadTooDeep]: 422,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.Internal]: 500,
};

/** A failure the client can act on. The global filter turns it into the contract's error body. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Seconds, for 429 answers. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
