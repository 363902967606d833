import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.js';
import { type Viewer, requireModerator } from '../auth/viewer.js';
import { BannedWords } from '../banned-words/banned-words.service.js';
import { isId } from '../common/ids.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { toUserDto } from '../users/dto/user.dto.js';
import { type LogPageDto } from './dto/moderation.dto.js';
import { ModerationLogRepository } from './moderation-log.repository.js';

/** What moderators manage beside comments and bans: the banned-word list, and the log of every action. */
@Injectable()
export class ModerationAdminService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly bannedWords: BannedWords,
    private readonly audit: AuditLog,
    private readonly logPages: ModerationLogRepository,
    private readonly cursors: CursorCodec,
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
    return {
      items: page.items.map((r) => ({
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
      })),
      nextCursor: page.nextCursor,
    };
  }
}
