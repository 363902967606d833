import { Module } from '@nestjs/common';
import { CommentsModule } from '../comments/comments.module.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

@Module({
  imports: [CommentsModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService],
})
export class ModerationModule {}
