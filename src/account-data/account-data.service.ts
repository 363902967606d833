import { Injectable } from '@nestjs/common';
import { AccountService } from '../auth/account.service.js';
import { toAccountDto } from '../auth/dto/account.dto.js';
import { requireSignedIn, type Viewer } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { CommentWritesService } from '../comments/comment-writes.service.js';
import { CommentsRepository } from '../comments/comments.repository.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { ReportsRepository } from '../moderation/reports.repository.js';
import { FollowsService } from '../notifications/follows.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { toUserDto } from '../users/dto/user.dto.js';
import { UsersRepository } from '../users/users.repository.js';
import { VotesRepository } from '../votes/votes.repository.js';
import { VotesService } from '../votes/votes.service.js';
import { type AccountExportDto, EXPORT_MAX_ITEMS, type ExportedVersionDto } from './dto/account-data.dto.js';

/** What a deletion went through, for the log line and the tests' figures. */
export interface DeletionSummary {
  comments: number;
  votes: number;
}

/**
 * A user's own data across the domains: everything the forum holds about them (export), and the deletion of their
 * account. It sits above every domain it touches; each does its own part through a method that takes the transaction,
 * with the rules it applies anywhere else (a comment goes as its author's delete takes it, a vote as its withdrawal).
 */
@Injectable()
export class AccountDataService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly accounts: AccountService,
    private readonly users: UsersRepository,
    private readonly commentWrites: CommentWritesService,
    private readonly comments: CommentsRepository,
    private readonly votesService: VotesService,
    private readonly votes: VotesRepository,
    private readonly reports: ReportsRepository,
    private readonly notifications: NotificationsService,
    private readonly follows: FollowsService,
  ) {}

  /**
   * Deletes the viewer's account, given their password (401 when wrong, and nothing changes), in one transaction:
   * votes withdrawn first (while the comments they are on still stand), then their comments, follows and inbox, and
   * last the account itself, whose sessions end. A banned user may delete their account too.
   */
  async deleteAccount(viewer: Viewer, password: string): Promise<DeletionSummary> {
    const confirmed = await this.accounts.confirmPassword(viewer, password);
    return this.uow.run(async (tx) => {
      const votes = await this.votesService.withdrawAllBy(tx, confirmed.userId);
      const comments = await this.commentWrites.deleteAllBy(tx, confirmed.userId);
      await this.follows.deleteAllOf(tx, confirmed.userId);
      await this.notifications.deleteAllOf(tx, confirmed.userId);
      await this.accounts.close(tx, confirmed);
      return { comments, votes };
    });
  }

  /** Everything the forum holds about the viewer, read in one snapshot; each list holds at most EXPORT_MAX_ITEMS. */
  async export(viewer: Viewer): Promise<AccountExportDto> {
    const userId = requireSignedIn(viewer);
    // One more than the limit tells whether a list was cut.
    const limit = EXPORT_MAX_ITEMS + 1;
    return this.uow.snapshot(async (tx) => {
      const user = await this.users.findById(userId, tx);
      if (!user || user.deletedAt) throw new DomainError(ErrorCode.Unauthenticated, 'Not signed in.');
      const comments = await this.comments.findAuthoredForExport(tx, userId, limit);
      const versions = new Map<string, ExportedVersionDto[]>();
      for (const version of await this.comments.findRevisionsOf(
        tx,
        comments.slice(0, EXPORT_MAX_ITEMS).map((c) => c.id),
      )) {
        const list = versions.get(version.commentId) ?? [];
        list.push({ body: version.body, createdAt: version.createdAt.toISOString(), public: version.public });
        versions.set(version.commentId, list);
      }
      const votes = await this.votes.findByUser(tx, userId, limit);
      const reports = await this.reports.findByReporter(tx, userId, limit);
      const notifications = await this.notifications.exportFor(tx, userId, limit);
      const follows = await this.follows.exportFor(tx, userId, limit);
      const lists = [comments, votes, reports, notifications, follows];
      return {
        exportedAt: new Date().toISOString(),
        complete: lists.every((list) => list.length <= EXPORT_MAX_ITEMS),
        user: toUserDto(user),
        account: toAccountDto(user),
        comments: comments.slice(0, EXPORT_MAX_ITEMS).map((c) => ({
          id: c.id,
          article: { id: c.articleId, slug: c.articleSlug, title: c.articleTitle },
          parentId: c.parentId,
          body: c.body,
          status: c.status,
          stance: c.stance,
          createdAt: c.createdAt.toISOString(),
          editedAt: c.editedAt?.toISOString() ?? null,
          upvotes: c.upvotes,
          downvotes: c.downvotes,
          versions: versions.get(c.id) ?? [],
        })),
        votes: votes.slice(0, EXPORT_MAX_ITEMS).map((v) => ({
          commentId: v.commentId,
          value: v.value,
          createdAt: v.createdAt.toISOString(),
          updatedAt: v.updatedAt.toISOString(),
        })),
        reports: reports.slice(0, EXPORT_MAX_ITEMS).map((r) => ({
          commentId: r.commentId,
          reason: r.reason,
          note: r.note,
          status: r.status,
          createdAt: r.createdAt.toISOString(),
        })),
        notifications: notifications.slice(0, EXPORT_MAX_ITEMS),
        follows: follows.slice(0, EXPORT_MAX_ITEMS),
      };
    });
  }
}
