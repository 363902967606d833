import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MENTION_LINK_PATTERN } from '../common/markdown/markdown.js';
import { type Tx } from '../database/unit-of-work.js';
import { type UserRole } from '../users/user.entity.js';
import { COMMENT_KINDS, type NotificationKind } from './notification.entity.js';

/** A notification with its actor's public fields and its essay's reference. */
export interface NotificationRow {
  id: string;
  recipientId: string;
  kind: NotificationKind;
  createdAt: Date;
  readAt: Date | null;
  actorId: string | null;
  actorUsername: string | null;
  actorDisplayName: string | null;
  actorRole: UserRole | null;
  articleId: string | null;
  articleSlug: string | null;
  articleTitle: string | null;
  commentId: string | null;
  reason: string | null;
}

export interface NotificationPosition {
  createdAt: string;
  id: string;
}

/**
 * Who a comment notifies: everyone it concerns, or only those it names (its parent's author, the users it mentions,
 * the authors it quotes), not its followers: an edit, or a comment back from review, is no new comment to followers.
 * `named` still weighs the reply and the quote, so that whichever run comes first, a recipient gets the kind that
 * takes precedence.
 */
export type CommentAudience = 'everyone' | 'named';

/**
 * The comment kinds take their actor (the comment's author) and their essay from the comment; only a decision stores
 * its actor (the moderator), who is not the comment's author. Neither is stored per comment notification: a fan-out
 * inserts a row per follower, and each foreign key checked per row cost about a sixth of the fan-out's time.
 */
const ACTOR_ID = `CASE WHEN n.kind IN (${COMMENT_KINDS.map((kind) => `'${kind}'`).join(', ')}) THEN nc.author_id ELSE n.actor_id END`;

const NOTIFICATION_COLUMNS = `
  n.id, n.recipient_id AS "recipientId", n.kind, n.created_at AS "createdAt", n.read_at AS "readAt",
  u.id AS "actorId", u.username AS "actorUsername", u.display_name AS "actorDisplayName", u.role AS "actorRole",
  a.id AS "articleId", a.slug AS "articleSlug", a.title AS "articleTitle",
  n.comment_id AS "commentId", n.reason`;

const NOTIFICATION_FROM = `notifications n
  LEFT JOIN comments nc ON nc.id = n.comment_id
  LEFT JOIN users u ON u.id = ${ACTOR_ID}
  LEFT JOIN articles a ON a.id = nc.article_id`;

/** Every query on notifications. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The notifications a visible comment owes, inserted in one statement whatever the number of recipients: its
   * parent's author (`reply`), the users its html links as mentions (`mention`: the links read from the stored html,
   * by lower-case name), the authors of the comments it quotes (`quote`), and the followers of its essay (a top-level
   * comment) or of any comment above it (`followed`); each recipient once, by that order of precedence, never its own
   * author. A recipient who already has one of these for the comment gets no second (the partial unique index), so
   * running this again adds only what is new. Nothing when the comment is not visible now (nor a query before this
   * one: the fan-out is one statement). Their time is `at` (null: now). Returns the notifications inserted.
   */
  insertForComment(
    tx: Tx,
    commentId: string,
    audience: CommentAudience,
    at: string | null,
  ): Promise<{ id: string; recipientId: string }[]> {
    return tx.query(
      `WITH c AS (
         SELECT id, article_id, author_id, parent_id, path, html FROM comments WHERE id = $1 AND status = 'visible'
       ),
       candidates (recipient_id, precedence, kind) AS (
         SELECT p.author_id, 1, 'reply' FROM c JOIN comments p ON p.id = c.parent_id
         UNION ALL
         SELECT u.id, 2, 'mention'
           FROM users u WHERE u.username_key IN (SELECT lower(m[1]) FROM c, regexp_matches(c.html, $2, 'g') AS m)
         UNION ALL
         SELECT s.author_id, 3, 'quote'
           FROM comment_quotes q JOIN comments s ON s.id = q.quoted_comment_id WHERE q.comment_id = $1
         UNION ALL
         SELECT f.user_id, 4, 'followed'
           FROM c JOIN follows f ON f.article_id = c.article_id AND f.comment_id IS NULL WHERE c.parent_id IS NULL AND $3
         UNION ALL
         SELECT f.user_id, 4, 'followed' FROM c JOIN follows f ON f.comment_id = ANY(c.path) AND f.comment_id <> c.id
          WHERE $3
       )
       INSERT INTO notifications (recipient_id, kind, comment_id, created_at)
       SELECT DISTINCT ON (k.recipient_id) k.recipient_id, k.kind, c.id, coalesce($4::timestamptz, now())
         FROM candidates k CROSS JOIN c
        WHERE k.recipient_id <> c.author_id
        ORDER BY k.recipient_id, k.precedence
       ON CONFLICT DO NOTHING
       RETURNING id, recipient_id AS "recipientId"`,
      [commentId, MENTION_LINK_PATTERN, audience === 'everyone', at ?? null],
    );
  }

  /**
   * A moderator's decision on a comment, for its author: once per decision (its moderation log entry), however often
   * this runs. Returns the notification inserted (none when it already was).
   */
  async insertDecision(
    tx: Tx,
    decision: {
      recipientId: string;
      kind: NotificationKind;
      actorId: string;
      commentId: string;
      moderationLogId: string;
      reason: string | null;
      /** When it happened (null: now). */
      createdAt: string | null;
    },
  ): Promise<{ id: string; recipientId: string }[]> {
    return tx.query(
      `INSERT INTO notifications (recipient_id, kind, actor_id, comment_id, moderation_log_id, reason, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()))
       ON CONFLICT DO NOTHING
       RETURNING id, recipient_id AS "recipientId"`,
      [
        decision.recipientId,
        decision.kind,
        decision.actorId,
        decision.commentId,
        decision.moderationLogId,
        decision.reason,
        decision.createdAt,
      ],
    );
  }

  findByIds(ids: string[]): Promise<NotificationRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.query(
      `SELECT ${NOTIFICATION_COLUMNS} FROM ${NOTIFICATION_FROM} WHERE n.id = ANY($1::bigint[]) ORDER BY n.id`,
      [ids],
    );
  }

  /** One recipient's notifications, newest first (ties by id, newest first), `limit` of them after `after`. */
  findPage(
    recipientId: string,
    unreadOnly: boolean,
    limit: number,
    after: NotificationPosition | null,
    tx: Tx = this.dataSource.manager,
  ): Promise<NotificationRow[]> {
    return tx.query(
      `SELECT ${NOTIFICATION_COLUMNS} FROM ${NOTIFICATION_FROM}
        WHERE n.recipient_id = $1 AND (NOT $2 OR n.read_at IS NULL)
          AND ($3::timestamptz IS NULL OR (n.created_at, n.id) < ($3::timestamptz, $4::bigint))
        ORDER BY n.created_at DESC, n.id DESC
        LIMIT $5`,
      [recipientId, unreadOnly, after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }

  /** Unread notifications of each of these users (absent: 0). */
  async countUnread(userIds: string[], tx: Tx = this.dataSource.manager): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows: { userId: string; count: number }[] = await tx.query(
      `SELECT recipient_id AS "userId", count(*)::int AS count FROM notifications
        WHERE recipient_id = ANY($1::bigint[]) AND read_at IS NULL GROUP BY recipient_id`,
      [userIds],
    );
    return new Map(rows.map((r) => [r.userId, r.count]));
  }

  /** Marks one recipient's notifications read: these ids (others' ids are left alone), or all with null. */
  async markRead(recipientId: string, ids: string[] | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET read_at = now()
        WHERE recipient_id = $1 AND read_at IS NULL AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))`,
      [recipientId, ids],
    );
  }

  /**
   * One recipient's unread notifications that no mail has carried yet, oldest first, at most `limit`, locked until the
   * transaction ends: two mail jobs of one reader (one running, one queued meanwhile) never mail the same one.
   */
  findUnmailed(tx: Tx, recipientId: string, limit: number): Promise<NotificationRow[]> {
    return tx.query(
      `SELECT ${NOTIFICATION_COLUMNS} FROM ${NOTIFICATION_FROM}
        WHERE n.recipient_id = $1 AND n.mailed_at IS NULL AND n.read_at IS NULL
        ORDER BY n.created_at, n.id
        LIMIT $2
        FOR UPDATE OF n`,
      [recipientId, limit],
    );
  }

  /** These notifications went out by mail (or were passed over by it for good). */
  async markMailed(tx: Tx, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await tx.query(`UPDATE notifications SET mailed_at = now() WHERE id = ANY($1::bigint[]) AND mailed_at IS NULL`, [
      ids,
    ]);
  }

  /**
   * The readers due for a daily digest: mail set to `daily` at a verified address, in one of these time zones (or
   * with none set, when `withoutZone`), with unread notifications not mailed yet; by id, `limit` of them after
   * `afterId` (a digest's round). Each reader's unread ones are found by notifications_unread_idx.
   */
  async findDigestRecipients(
    zones: string[],
    withoutZone: boolean,
    afterId: string | null,
    limit: number,
  ): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT u.id FROM users u
        WHERE u.email_notifications = 'daily' AND u.email_verified AND u.email IS NOT NULL
          AND (u.time_zone = ANY($1::varchar[]) OR (u.time_zone IS NULL AND $2::boolean))
          AND ($3::bigint IS NULL OR u.id > $3::bigint)
          AND EXISTS (SELECT 1 FROM notifications n
                       WHERE n.recipient_id = u.id AND n.read_at IS NULL AND n.mailed_at IS NULL)
        ORDER BY u.id
        LIMIT $4`,
      [zones, withoutZone, afterId, limit],
    );
    return rows.map((row) => row.id);
  }

  /** Account deletion: the user's inbox goes. */
  async deleteForRecipient(tx: Tx, recipientId: string): Promise<void> {
    await tx.query('DELETE FROM notifications WHERE recipient_id = $1', [recipientId]);
  }
}
