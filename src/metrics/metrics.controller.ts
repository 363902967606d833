import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { OwnAuthorization } from '../common/own-authorization.js';
import { MetricsService } from './metrics.service.js';

/** Answered at the root, outside the /api prefix, where scrapers look for it. */
export const METRICS_PATH = 'metrics';

@ApiTags('operations')
@Controller()
export class MetricsController {
  private readonly expectedDigest: Buffer | null;

  constructor(
    private readonly metrics: MetricsService,
    config: AppConfig,
  ) {
    this.expectedDigest = config.metricsToken === null ? null : digest(config.metricsToken);
  }

  @Get(METRICS_PATH)
  @OwnAuthorization()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics of this process (only when METRICS_TOKEN is set: 404 otherwise)',
    description:
      'Send `Authorization: Bearer <METRICS_TOKEN>`. See docs/operations.md for the metrics and their labels.',
  })
  @ApiBearerAuth()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The Prometheus text format', schema: { type: 'string' } })
  @ApiErrorResponses(401, 404)
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    if (this.expectedDigest === null) throw new DomainError(ErrorCode.NotFound, 'Metrics are not enabled.');
    const match = /^Bearer (\S+)$/i.exec(authorization ?? '');
    // Both sides hashed first: equal lengths for timingSafeEqual, and the time says nothing about the token's length.
    if (!match || !timingSafeEqual(digest(match[1]), this.expectedDigest))
      throw new DomainError(ErrorCode.Unauthenticated, 'The metrics token is missing or wrong.');
    const { contentType, body } = await this.metrics.scrape();
    res.type(contentType);
    return body;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
