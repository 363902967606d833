import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { AtomFeeds } from './atom-feeds.js';

/** Where the feeds answer: at the root, beside the pages that link to them, not under /api. */
export const FEED_PATHS = ['feeds/essays.atom', 'feeds/articles/:slug/comments.atom'];

const ATOM = 'application/atom+xml; charset=utf-8';

@ApiTags('feeds')
@Controller('feeds')
export class FeedsController {
  constructor(private readonly feeds: AtomFeeds) {}

  @Get('essays.atom')
  @Header('Content-Type', ATOM)
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'The latest 50 essays as an Atom 1.0 feed' })
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({ description: 'An Atom 1.0 feed', schema: { type: 'string' } })
  essays(): Promise<string> {
    return this.feeds.essays();
  }

  @Get('articles/:slug/comments.atom')
  @Header('Content-Type', ATOM)
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: 'An essay’s latest 50 visible comments as an Atom 1.0 feed' })
  @ApiProduces('application/atom+xml')
  @ApiOkResponse({ description: 'An Atom 1.0 feed', schema: { type: 'string' } })
  @ApiErrorResponses(404)
  comments(@Param('slug') slug: string): Promise<string> {
    return this.feeds.comments(slug);
  }
}
