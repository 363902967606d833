import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.js';
import { type Viewer } from '../auth/viewer.js';
import { type Tx } from '../database/unit-of-work.js';
import { CommentAccess } from './comment-access.js';
import { type CommentRow } from './comments.repository.js';

/**
 * The reasons moderators gave for removing comments, which a Comment answer carries as `removalReason` for the
 * comment's author and moderators, so that the author still reads why after a reload. The reasons live in the
 * moderation log; a page with no removed comment the viewer may be told about costs no query.
 */
@Injectable()
export class RemovalReasons {
  constructor(private readonly audit: AuditLog) {}

  /** Of these comments, the reasons this viewer may see (absent: none to show). */
  forViewer(rows: CommentRow[], viewer: Viewer, tx?: Tx): Promise<Map<string, string | null>> {
    return this.audit.findLatestRemovalReasons(
      rows.filter((row) => CommentAccess.canSeeRemovalReason(row, viewer)).map((row) => row.id),
      tx,
    );
  }

  /** The reasons of every removed comment among these, for views made for several readers (each its own author). */
  forAuthors(rows: CommentRow[], tx?: Tx): Promise<Map<string, string | null>> {
    return this.audit.findLatestRemovalReasons(
      rows.filter((row) => row.status === 'removed').map((row) => row.id),
      tx,
    );
  }
}
