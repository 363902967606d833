import { toUserDto } from '../../users/dto/user.dto.js';
import { type QueueReportRow } from '../reports.repository.js';
import { type QueueReportDto } from './moderation.dto.js';

/** A report as moderators read it: the reason, the note, open or closed, and who filed it. */
export function toQueueReportDto(r: QueueReportRow): QueueReportDto {
  return {
    id: r.id,
    reason: r.reason,
    note: r.note,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    reporter: toUserDto({
      id: r.reporterId,
      username: r.reporterUsername,
      displayName: r.reporterDisplayName,
      role: r.reporterRole,
    }),
  };
}
