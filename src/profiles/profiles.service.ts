import { Injectable } from '@nestjs/common';
import { type Viewer } from '../auth/viewer.js';
import { CommentLists } from '../comments/comment-lists.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { LOGIN_USERNAME_MAX } from '../common/limits.js';
import { CursorCodec } from '../common/pagination/cursor-codec.js';
import { pageOf, rowsFor } from '../common/pagination/keyset-page.js';
import { DEFAULT_LIMIT } from '../common/pagination/page-query.dto.js';
import { toUserDto } from '../users/dto/user.dto.js';
import { type ProfileCommentsPageDto, type ProfileCommentsQueryDto, type ProfileDto } from './dto/profile.dto.js';
import { type ProfilePosition, type ProfileRow, ProfilesRepository } from './profiles.repository.js';

/**
 * Public profiles: who a user is (name, when they joined, how many visible comments) and their comments, newest
 * first. The list holds only comments whose body the viewer may read (readableBodySql): readers see the visible ones,
 * the author also their own pending ones, moderators also removed ones; a deleted comment is never listed (a
 * placeholder on a profile would only say that its author wrote something hidden).
 */
@Injectable()
export class ProfilesService {
  constructor(
    private readonly profiles: ProfilesRepository,
    private readonly lists: CommentLists,
    private readonly cursors: CursorCodec,
  ) {}

  async profile(username: string): Promise<ProfileDto> {
    const row = await this.requireUser(username);
    return { user: toUserDto(row), joinedAt: row.joinedAt.toISOString(), commentCount: row.commentCount };
  }

  async comments(username: string, query: ProfileCommentsQueryDto, viewer: Viewer): Promise<ProfileCommentsPageDto> {
    const user = await this.requireUser(username);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const scope = `profile:${user.id}`;
    const after = this.cursors.positionOf<ProfilePosition>(scope, query.cursor, ([createdAt, id]) =>
      typeof createdAt === 'string' && typeof id === 'string' ? { createdAt, id } : null,
    );
    const rows = await this.profiles.findCommentsPage(user.id, viewer, rowsFor(limit), after);
    const page = pageOf(rows, limit, (last) => this.cursors.encode(scope, [last.createdAt.toISOString(), last.id]));
    const comments = await this.lists.forViewer(page.items, viewer);
    return {
      items: page.items.map((row, i) => ({
        ...comments[i],
        article: { id: row.articleId, slug: row.articleSlug, title: row.articleTitle },
      })),
      nextCursor: page.nextCursor,
    };
  }

  private async requireUser(username: string): Promise<ProfileRow> {
    // No username is longer than the sign-in form takes, nor holds a NUL (which PostgreSQL text cannot hold).
    const possible = username.length <= LOGIN_USERNAME_MAX && !username.includes('\u0000');
    const row = possible ? await this.profiles.findByUsername(username) : null;
    if (!row) throw new DomainError(ErrorCode.UserNotFound, 'No such user.');
    return row;
  }
}
