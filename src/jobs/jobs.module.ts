import { Module } from '@nestjs/common';
import { JobQueue } from './job-queue.js';
import { JobsRepository } from './jobs.repository.js';

/** The durable job queue (graphile-worker), below the domains beside the events layer: mail is its first user. */
@Module({ providers: [JobQueue, JobsRepository], exports: [JobQueue] })
export class JobsModule {}
