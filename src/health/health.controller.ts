import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { LivenessDto, ReadinessDto } from './dto/readiness.dto.js';
import { HealthService } from './health.service.js';

/** Answered at the root, outside the /api prefix. */
export const HEALTH_PATHS = ['healthz', 'readyz'];

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('healthz')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Liveness: the process runs' })
  @ApiOkResponse({ type: LivenessDto })
  liveness(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Readiness: the database answers, migrations are applied and live fan-out is connected' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'A check failed, or the process is stopping.' })
  async readiness(@Res({ passthrough: true }) res: Response): Promise<ReadinessDto> {
    const report = await this.health.readiness();
    res.status(report.status === 'ready' ? 200 : 503);
    return report;
  }
}
