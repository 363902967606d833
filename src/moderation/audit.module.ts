import { Global, Module } from '@nestjs/common';
import { ModerationLogRepository } from './moderation-log.repository.js';

/** The moderation log, written by every domain where a moderator or admin acts. */
@Global()
@Module({ providers: [ModerationLogRepository], exports: [ModerationLogRepository] })
export class AuditModule {}
