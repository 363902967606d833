import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SignedIn } from '../auth/signed-in.guard.js';
import { CurrentViewer, type Viewer } from '../auth/viewer.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { LookupRateLimited } from '../common/rate-limit/rate-limit.js';
import { MentionSuggestionsDto, MentionSuggestionsQueryDto } from './dto/mention-suggestions.dto.js';
import { MentionSuggestions } from './mention-suggestions.js';

@ApiTags('comments')
@Controller('users')
export class MentionSuggestionsController {
  constructor(private readonly suggestions: MentionSuggestions) {}

  @Get('suggest')
  @SignedIn()
  @LookupRateLimited()
  @ApiOperation({
    summary: 'Usernames to complete an `@` mention in the comment composer',
    description:
      'Users who can sign in and are not banned, other than the one asking, whose username starts with the prefix (case-insensitively); at most 8, alphabetical. Limited to 120 lookups a minute per user, a budget apart from the writes.',
  })
  @ApiOkResponse({ type: MentionSuggestionsDto })
  @ApiErrorResponses(400, 401, 429)
  suggest(@Query() query: MentionSuggestionsQueryDto, @CurrentViewer() viewer: Viewer): Promise<MentionSuggestionsDto> {
    return this.suggestions.forPrefix(query.prefix, viewer);
  }
}
