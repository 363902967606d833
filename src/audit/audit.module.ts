import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.js';

/** The moderation log, recorded into by every domain where a moderator or admin acts. */
@Module({ providers: [AuditLog], exports: [AuditLog] })
export class AuditModule {}
