import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.js';
import { type Viewer, requireModerator } from '../auth/viewer.js';
import { BannedWords } from '../banned-words/banned-words.service.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { isId, parseId } from '../common/ids.js';
import { CommentsRepository } from '../comments/comments.repository.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { toUserDto } from '../users/dto/user.dto.js';
import { isBanInForce } from '../users/ban-rule.js';
import { UsersRepository } from '../users/users.repository.js';
import { type AuthorRecordDto, type LogEntryDto, type LogPageDto } from './dto/moderation.dto.js';
import { type LogRow, ModerationLogRepository } from './moderation-log.repository.js';

/**
 * What moderators manage beside comments and bans: the banned-word list, and the log of every action, whole or as
 * the history of one comment or the record of one user.
 */
@Injectable()
export class ModerationAdminService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly bannedWords: BannedWords,
    private readonly audit: AuditLog,
    private readonly logPages: ModerationLogRepository,
    private readonly cursors: CursorCodec,
    private readonly comments: CommentsRepository,
    private readonly users: UsersRepository,
  ) {}

  async bannedWordList(viewer: Viewer): Promise<string[]> {
    requireModerator(viewer);
    return this.bannedWords.list();
  }

  async replaceBannedWords(words: string[], viewer: Viewer): Promise<string[]> {
    const actorId = requireModerator(viewer);
    return this.uow.run(async (tx) => {
      const before = await this.bannedWords.list(tx);
      const stored = await this.bannedWords.replace(tx, words, actorId);
      const added = stored.filter((w) => !before.includes(w));
      const removed = before.filter((w) => !stored.includes(w));
      await this.audit.record(tx, {
        actorId,
        action: 'banned-words.update',
        details: { added, removed, count: stored.length },
      });
      return stored;
    });
  }

  async logPage(limit: number, cursor: string | undefined, viewer: Viewer): Promise<LogPageDto> {
    requireModerator(viewer);
    const before = this.cursors.positionOf('moderation-log', cursor, ([id]) => (isId(id) ? id : null));
    const rows = await this.logPages.findPage(rowsFor(limit), before);
    const page = pageOf(rows, limit, (last) => this.cursors.encode('moderation-log', [last.id]));
    return { items: page.items.map(toLogEntryDto), nextCursor: page.nextCursor };
  }

  /** What moderators did to one comment, newest first (a deleted or removed one too: the history stays). */
  async commentHistory(rawId: string, limit: number, cursor: string | undefined, viewer: Viewer): Promise<LogPageDto> {
    requireModerator(viewer);
    const comment = await this.comments.findById(parseId(rawId, ErrorCode.CommentNotFound, 'comment'));
    if (!comment) throw new DomainError(ErrorCode.CommentNotFound, 'No such comment.');
    const scope = `comment-history:${comment.id}`;
    const before = this.cursors.positionOf(scope, cursor, ([id]) => (isId(id) ? id : null));
    const rows = await this.logPages.findForComment(comment.id, rowsFor(limit), before);
    const page = pageOf(rows, limit, (last) => this.cursors.encode(scope, [last.id]));
    return { items: page.items.map(toLogEntryDto), nextCursor: page.nextCursor };
  }

  /**
   * A user's record as moderators weigh it: how often their comments were removed and how many bans they had, the ban
   * in force, and the entries behind those numbers, newest first. The counts come with every page.
   */
  async authorRecord(
    rawUserId: string,
    limit: number,
    cursor: string | undefined,
    viewer: Viewer,
  ): Promise<AuthorRecordDto> {
    requireModerator(viewer);
    const user = await this.users.findById(parseId(rawUserId, ErrorCode.UserNotFound, 'user'));
    if (!user) throw new DomainError(ErrorCode.UserNotFound, 'No such user.');
    const scope = `author-record:${user.id}`;
    const before = this.cursors.positionOf(scope, cursor, ([id]) => (isId(id) ? id : null));
    const [rows, counts] = await Promise.all([
      this.logPages.findForAuthor(user.id, rowsFor(limit), before),
      this.logPages.countAuthorRecord(user.id),
    ]);
    const page = pageOf(rows, limit, (last) => this.cursors.encode(scope, [last.id]));
    return {
      user: toUserDto(user),
      ...counts,
      ban: isBanInForce(user, new Date())
        ? { until: user.bannedUntil?.toISOString() ?? null, reason: user.banReason }
        : null,
      items: page.items.map(toLogEntryDto),
      nextCursor: page.nextCursor,
    };
  }
}

function toLogEntryDto(r: LogRow): LogEntryDto {
  return {
    id: r.id,
    actor: toUserDto({
      id: r.actorId,
      username: r.actorUsername,
      displayName: r.actorDisplayName,
      role: r.actorRole,
    }),
    action: r.action,
    commentId: r.commentId,
    userId: r.userId,
    articleId: r.articleId,
    reason: r.reason,
    details: r.details,
    createdAt: r.createdAt.toISOString(),
    user:
      r.userId && r.targetUsername && r.targetDisplayName && r.targetRole
        ? toUserDto({
            id: r.userId,
            username: r.targetUsername,
            displayName: r.targetDisplayName,
            role: r.targetRole,
          })
        : null,
    article:
      r.articleId && r.articleSlug && r.articleTitle
        ? { id: r.articleId, slug: r.articleSlug, title: r.articleTitle }
        : null,
  };
}
