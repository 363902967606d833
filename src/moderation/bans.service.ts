import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.js';
import { type Viewer, requireModerator } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { isId, parseId } from '../common/ids.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { EventBus } from '../events/event-bus.js';
import { toUserDto } from '../users/dto/user.dto.js';
import { UsersRepository } from '../users/users.repository.js';
import { BanExpiry } from './ban-expiry.js';
import { type BanPosition, BansRepository } from './bans.repository.js';
import { type BanDto, type BanResultDto, type BansPageDto } from './dto/moderation.dto.js';

/** Bans: set by a moderator (with an end or without), lifted by one, or over by themselves (BanExpiry). */
@Injectable()
export class BansService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UsersRepository,
    private readonly banned: BansRepository,
    private readonly audit: AuditLog,
    private readonly bus: EventBus,
    private readonly cursors: CursorCodec,
    private readonly banExpiry: BanExpiry,
  ) {}

  async ban(rawUserId: string, input: BanDto, viewer: Viewer): Promise<BanResultDto> {
    const actorId = requireModerator(viewer);
    const userId = parseId(rawUserId, ErrorCode.UserNotFound, 'user');
    const until = input.until ? new Date(input.until) : null;
    if (until && until.getTime() <= Date.now())
      throw new DomainError(ErrorCode.ValidationFailed, 'until must be in the future.');
    const result = await this.uow.run(async (tx) => {
      const target = await this.users.findById(userId, tx);
      if (!target) throw new DomainError(ErrorCode.UserNotFound, 'No such user.');
      if (target.id === actorId) throw new DomainError(ErrorCode.Forbidden, 'You cannot ban yourself.');
      if (target.role === 'admin' && viewer.role !== 'admin')
        throw new DomainError(ErrorCode.Forbidden, 'A moderator cannot ban an admin.');
      await this.users.setBan(tx, target.id, until, input.reason);
      await this.audit.record(tx, {
        actorId,
        action: 'user.ban',
        userId: target.id,
        reason: input.reason,
        details: { until: until?.toISOString() ?? null },
      });
      const banned = { userId: target.id, until: until?.toISOString() ?? null, reason: input.reason };
      this.bus.record(tx, { type: 'user.banned', payload: banned });
      return { user: toUserDto(target), until: banned.until, reason: banned.reason };
    });
    this.banExpiry.schedule(userId, until);
    return result;
  }

  async unban(rawUserId: string, viewer: Viewer): Promise<void> {
    const actorId = requireModerator(viewer);
    const userId = parseId(rawUserId, ErrorCode.UserNotFound, 'user');
    const lifted = await this.uow.run(async (tx) => {
      const target = await this.users.findById(userId, tx);
      if (!target) throw new DomainError(ErrorCode.UserNotFound, 'No such user.');
      if (target.role === 'admin' && viewer.role !== 'admin')
        throw new DomainError(ErrorCode.Forbidden, 'A moderator cannot change an admin’s ban.');
      if (!(await this.users.clearBan(tx, target.id))) return false;
      await this.audit.record(tx, { actorId, action: 'user.unban', userId: target.id });
      this.bus.record(tx, { type: 'user.unbanned', payload: { userId: target.id, role: target.role } });
      return true;
    });
    if (lifted) this.banExpiry.schedule(userId, null);
  }

  /** The users under a ban in force, newest ban first; expired and lifted bans are not listed. */
  async bans(limit: number, cursor: string | undefined, viewer: Viewer): Promise<BansPageDto> {
    requireModerator(viewer);
    const after = this.cursors.positionOf('bans', cursor, ([banLogId, userId]): BanPosition | null =>
      (banLogId === null || isId(banLogId)) && isId(userId) ? { banLogId, userId } : null,
    );
    const rows = await this.banned.findBannedPage(rowsFor(limit), after);
    const page = pageOf(rows, limit, (last) => this.cursors.encode('bans', [last.banLogId, last.id]));
    return {
      items: page.items.map((r) => ({
        user: toUserDto(r),
        until: r.until?.toISOString() ?? null,
        reason: r.reason,
        bannedAt: r.bannedAt?.toISOString() ?? null,
        bannedBy:
          r.byId && r.byUsername && r.byDisplayName && r.byRole
            ? toUserDto({ id: r.byId, username: r.byUsername, displayName: r.byDisplayName, role: r.byRole })
            : null,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
