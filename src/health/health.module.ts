import { Module } from '@nestjs/common';
import { CommonModule } from '../common/common.module.js';
import { HealthController } from './health.controller.js';
import { HealthRepository } from './health.repository.js';
import { HealthService } from './health.service.js';

/** Liveness and readiness probes (`GET /healthz`, `GET /readyz`). */
@Module({
  imports: [CommonModule],
  controllers: [HealthController],
  providers: [HealthRepository, HealthService],
})
export class HealthModule {}
