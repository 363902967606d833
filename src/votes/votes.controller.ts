import { Body, Controller, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SignedIn } from '../auth/signed-in.guard.js';
import { CurrentViewer, type Viewer } from '../auth/viewer.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { RateLimited } from '../common/rate-limit/rate-limit.js';
import { VoteInputDto, VoteResultDto } from './dto/vote.dto.js';
import { VotesService } from './votes.service.js';

@ApiTags('comments')
@Controller('comments/:id/vote')
export class VotesController {
  constructor(private readonly votes: VotesService) {}

  @Put()
  @SignedIn()
  @RateLimited()
  @ApiOperation({ summary: 'Vote on a comment (not one’s own)' })
  @ApiOkResponse({ type: VoteResultDto })
  @ApiErrorResponses(400, 401, 403, 404, 429)
  vote(@Param('id') id: string, @Body() body: VoteInputDto, @CurrentViewer() viewer: Viewer): Promise<VoteResultDto> {
    return this.votes.vote(id, body.value, viewer);
  }
}
