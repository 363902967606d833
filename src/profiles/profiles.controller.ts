import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentViewer, type Viewer } from '../auth/viewer.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { ProfileCommentsPageDto, ProfileCommentsQueryDto, ProfileDto } from './dto/profile.dto.js';
import { ProfilesService } from './profiles.service.js';

@ApiTags('users')
@Controller('users')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get(':username')
  @ApiOperation({ summary: 'A user’s public profile: name, joining date and number of visible comments' })
  @ApiOkResponse({ type: ProfileDto })
  @ApiErrorResponses(404)
  profile(@Param('username') username: string): Promise<ProfileDto> {
    return this.profiles.profile(username);
  }

  @Get(':username/comments')
  @ApiOperation({
    summary: 'A user’s comments, newest first, each with its essay',
    description:
      'Only comments whose text the viewer may read: visible ones; the author also sees their own pending ones, moderators also removed ones. Deleted comments are never listed.',
  })
  @ApiOkResponse({ type: ProfileCommentsPageDto })
  @ApiErrorResponses(400, 404)
  comments(
    @Param('username') username: string,
    @Query() query: ProfileCommentsQueryDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ProfileCommentsPageDto> {
    return this.profiles.comments(username, query, viewer);
  }
}
