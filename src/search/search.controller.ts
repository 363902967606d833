import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, type Viewer } from '../auth/viewer.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { SearchPageDto, SearchQueryDto } from './dto/search.dto.js';
import { SearchService } from './search.service.js';

@ApiTags('search')
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get()
  @ApiOperation({
    summary: 'Full-text search of essays and comments, best match first',
    description:
      'Comments are searched only where the viewer may read them (visible ones; one’s own pending ones; removed ones for moderators). A new or edited comment is found at once. A very common query (one that SEARCH_COMMON_CAP, by default 1,000, of the newest 5 × that many readable comments in scope match) ranks and lists only its SEARCH_COMMON_CAP newest matching comments.',
  })
  @ApiOkResponse({ type: SearchPageDto })
  @ApiErrorResponses(400, 404)
  find(@Query() query: SearchQueryDto, @CurrentViewer() viewer: Viewer): Promise<SearchPageDto> {
    return this.search.find(query, viewer);
  }
}
