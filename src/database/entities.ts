import { ArticleBlockEntity } from '../articles/article-block.entity.js';
import { ArticleEntity } from '../articles/article.entity.js';
import { CommentQuoteEntity } from '../comments/comment-quote.entity.js';
import { CommentEntity } from '../comments/comment.entity.js';
import { AppSecretEntity } from '../common/app-secret.entity.js';
import { RateLimitHitEntity } from '../common/rate-limit/rate-limit-hit.entity.js';
import { UserEntity } from '../users/user.entity.js';
import { SessionEntity } from '../auth/session.entity.js';
import { VoteEntity } from '../votes/vote.entity.js';
import { CommentRevisionEntity } from '../comments/comment-revision.entity.js';
import { ReportEntity } from '../moderation/report.entity.js';
import { IdempotencyKeyEntity } from '../common/idempotency/idempotency-key.entity.js';
import { ArticleEventEntity } from '../events/article-event.entity.js';
import { BannedWordEntity } from '../banned-words/banned-word.entity.js';
import { ModerationLogEntity } from '../audit/audit-log.entity.js';

/** Every entity, listed once for the app, the CLI and the drift check. */
export const ENTITIES = [
  UserEntity,
  ArticleEntity,
  ArticleBlockEntity,
  CommentEntity,
  CommentQuoteEntity,
  AppSecretEntity,
  RateLimitHitEntity,
  SessionEntity,
  VoteEntity,
  CommentRevisionEntity,
  ReportEntity,
  IdempotencyKeyEntity,
  ArticleEventEntity,
  BannedWordEntity,
  ModerationLogEntity,
];
