import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { banInForceSql } from '../users/ban-rule.js';
import { type UserRole } from '../users/user.entity.js';

/** A user under a ban in force, with the moderation log's latest `user.ban` entry about them (null without one). */
export interface BannedUserRow {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  until: Date | null;
  reason: string;
  banLogId: string | null;
  bannedAt: Date | null;
  byId: string | null;
  byUsername: string | null;
  byDisplayName: string | null;
  byRole: UserRole | null;
}

/** Where a page of bans ends: the ban's log entry (null: a ban without one) and the user. */
export interface BanPosition {
  banLogId: string | null;
  userId: string;
}

/**
 * The moderators' list of bans: the users under a ban in force, each with the moderation log's entry that banned
 * them. It reads the log (moderation's record of its actions) beside users' ban columns, so it lives here, not in users.
 */
@Injectable()
export class BansRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Users whose ban is in force now (expired and lifted ones are not), newest ban first: ordered by the latest
   * `user.ban` log entry about each, then those without one, by id. Keyset-paged after `after`.
   */
  findBannedPage(limit: number, after: BanPosition | null): Promise<BannedUserRow[]> {
    return this.dataSource.query(
      `SELECT * FROM (
         SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.banned_until AS "until",
                coalesce(u.ban_reason, '') AS "reason", b.id AS "banLogId", b.created_at AS "bannedAt",
                a.id AS "byId", a.username AS "byUsername", a.display_name AS "byDisplayName", a.role AS "byRole"
           FROM users u
           LEFT JOIN LATERAL (
             SELECT l.id, l.created_at, l.actor_id FROM moderation_log l
              WHERE l.user_id = u.id AND l.action = 'user.ban'
              ORDER BY l.id DESC LIMIT 1
           ) b ON true
           LEFT JOIN users a ON a.id = b.actor_id
          WHERE ${banInForceSql('u')}
       ) s
       WHERE $3::bigint IS NULL
          OR ($2::bigint IS NOT NULL AND (s."banLogId" < $2::bigint OR s."banLogId" IS NULL))
          OR ($2::bigint IS NULL AND s."banLogId" IS NULL AND s.id < $3::bigint)
       ORDER BY s."banLogId" DESC NULLS LAST, s.id DESC
       LIMIT $1`,
      [limit, after?.banLogId ?? null, after?.userId ?? null],
    );
  }
}
