import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SignedIn } from '../auth/signed-in.guard.js';
import { CurrentViewer, type Viewer } from '../auth/viewer.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { RateLimited } from '../common/rate-limit/rate-limit.js';
import { ReportDto, ReportInputDto } from './dto/report.dto.js';
import { ReportsService } from './reports.service.js';

@ApiTags('comments')
@Controller('comments/:id/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @SignedIn()
  @RateLimited()
  @ApiOperation({ summary: 'Report a comment to the moderators' })
  @ApiCreatedResponse({ type: ReportDto })
  @ApiErrorResponses(400, 401, 403, 404, 409, 429)
  report(@Param('id') id: string, @Body() body: ReportInputDto, @CurrentViewer() viewer: Viewer): Promise<ReportDto> {
    return this.reports.report(id, body, viewer);
  }
}
