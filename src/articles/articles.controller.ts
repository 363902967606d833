import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { SignedIn } from '../auth/signed-in.guard.js';
import { CurrentViewer, type Viewer } from '../auth/viewer.js';
import { LookupRateLimited, RateLimited } from '../common/rate-limit/rate-limit.js';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { ArticleReader } from './article-reader.js';
import { ArticlesService } from './articles.service.js';
import { CACHED_READ_HEADERS, CachedForReaders, ReaderCache } from './reader-cache.js';
import { ArticleDto, ArticlePageDto, ArticleSettingsDto, UpdateSettingsDto } from './dto/article.dto.js';
import { CreateArticleDto } from './dto/create-article.dto.js';
import { ByUrlQueryDto, CommentCountsDto, CountsQueryDto } from './dto/publisher-lookup.dto.js';
import {
  ArticleRevisionDto,
  ArticleSourceDto,
  EssayBodyDto,
  EssayPreviewDto,
  RevisionListDto,
  RevisionPreviewDto,
  UpdateArticleDto,
} from './dto/update-article.dto.js';

@ApiTags('articles')
@Controller('articles')
export class ArticlesController {
  constructor(
    private readonly articles: ArticlesService,
    private readonly reader: ArticleReader,
    private readonly readers: ReaderCache,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List articles, newest first' })
  @ApiOkResponse({ type: ArticlePageDto })
  @ApiErrorResponses(400)
  list(@Query() query: PageQueryDto): Promise<ArticlePageDto> {
    return this.articles.list(query.limit, query.cursor);
  }

  @Post()
  @SignedIn()
  @RateLimited()
  @ApiOperation({
    summary: 'Publish an essay written in Markdown (admin)',
    description:
      'The JSON body may be up to 2 MB (every other request: 64 KB). The essay is listed first; its slug comes from the title, numbered (-2, -3, ...) when taken.',
  })
  @ApiCreatedResponse({ type: ArticleDto })
  @ApiErrorResponses(400, 401, 403, 413, 429)
  create(@Body() body: CreateArticleDto, @CurrentViewer() viewer: Viewer): Promise<ArticleDto> {
    return this.articles.create(body, viewer);
  }

  // Before ':slug', which would take these words for slugs (no essay is given them: RESERVED_SLUGS).
  @Get('by-url')
  @ApiOperation({ summary: 'The essay published at this address on the publisher’s site (its canonicalUrl)' })
  @ApiOkResponse({ type: ArticleDto })
  @ApiErrorResponses(400, 404)
  byUrl(@Query() query: ByUrlQueryDto, @CurrentViewer() viewer: Viewer): Promise<ArticleDto> {
    return this.reader.getByUrl(query.url, viewer);
  }

  @Get('counts')
  @ApiOperation({ summary: 'The comment counts of up to 100 essays, for a publisher’s list pages' })
  @ApiOkResponse({ type: CommentCountsDto })
  @ApiErrorResponses(400)
  counts(@Query() query: CountsQueryDto): Promise<CommentCountsDto> {
    return this.articles.commentCounts(query.slugs);
  }

  @Post('preview')
  @HttpCode(200)
  @SignedIn()
  @LookupRateLimited()
  @ApiOperation({
    summary: 'The blocks an essay would have once published, publishing nothing (admin)',
    description:
      'For the publish screen’s live preview: the Markdown is checked and rendered as POST does it. Limited like the lookups made while typing (120 a minute), not from the writes’ budget. The JSON body may be up to 2 MB.',
  })
  @ApiOkResponse({ type: EssayPreviewDto })
  @ApiErrorResponses(400, 401, 403, 413, 429)
  preview(@Body() body: EssayBodyDto, @CurrentViewer() viewer: Viewer): EssayPreviewDto {
    return this.articles.preview(body, viewer);
  }

  @Post(':slug/preview')
  @HttpCode(200)
  @SignedIn()
  @LookupRateLimited()
  @ApiOperation({
    summary: 'What saving a new body would do to an essay, saving nothing (admin)',
    description:
      'For the edit screen: the blocks with the ids the revision would give them, and how many quotes of visible and pending comments would stay exact, move, change or be orphaned, by the rules PATCH runs. Reads only (no lock, no revision, updatedAt unchanged). Limited like the lookups made while typing. The JSON body may be up to 2 MB.',
  })
  @ApiOkResponse({ type: RevisionPreviewDto })
  @ApiErrorResponses(400, 401, 403, 404, 413, 429)
  previewRevision(
    @Param('slug') slug: string,
    @Body() body: EssayBodyDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<RevisionPreviewDto> {
    return this.articles.previewRevision(slug, body, viewer);
  }

  @Get(':slug')
  @ApiOperation({
    summary: 'An article with its blocks and settings',
    description:
      'Anonymous readers’ answers are cached by the article’s event number and carry an ETag (304 on a matching If-None-Match).',
  })
  @ApiOkResponse({ type: ArticleDto, headers: CACHED_READ_HEADERS })
  @CachedForReaders()
  @ApiErrorResponses(404)
  get(
    @Param('slug') slug: string,
    @CurrentViewer() viewer: Viewer,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    return this.readers.answer(req, res, viewer, { kind: 'article', slug, query: '' }, () =>
      this.reader.get(slug, viewer),
    );
  }

  @Patch(':slug')
  @SignedIn()
  @RateLimited()
  @ApiOperation({
    summary: 'Revise an essay (admin)',
    description:
      'Any field of the publication; the slug never changes. A new body makes a new revision (blocks keep their ids when they are the same passage; every quote is anchored again) and followers get `article.revised`. The JSON body may be up to 2 MB.',
  })
  @ApiOkResponse({ type: ArticleDto })
  @ApiErrorResponses(400, 401, 403, 404, 413, 429)
  update(
    @Param('slug') slug: string,
    @Body() body: UpdateArticleDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ArticleDto> {
    return this.articles.update(slug, body, viewer);
  }

  @Get(':slug/source')
  @SignedIn()
  @ApiOperation({ summary: 'An essay as Markdown that PATCH accepts (admin)' })
  @ApiOkResponse({ type: ArticleSourceDto })
  @ApiErrorResponses(401, 403, 404)
  source(@Param('slug') slug: string, @CurrentViewer() viewer: Viewer): Promise<ArticleSourceDto> {
    return this.articles.source(slug, viewer);
  }

  @Get(':slug/revisions')
  @ApiOperation({ summary: 'The revisions of an essay, newest first' })
  @ApiOkResponse({ type: RevisionListDto })
  @ApiErrorResponses(404)
  revisions(@Param('slug') slug: string): Promise<RevisionListDto> {
    return this.articles.revisions(slug);
  }

  @Get(':slug/revisions/:revision')
  @ApiOperation({ summary: 'An essay as it read at one revision' })
  @ApiOkResponse({ type: ArticleRevisionDto })
  @ApiErrorResponses(404)
  revision(@Param('slug') slug: string, @Param('revision') revision: string): Promise<ArticleRevisionDto> {
    return this.articles.revision(slug, revision);
  }

  @Patch(':slug/settings')
  @SignedIn()
  @RateLimited()
  @ApiOperation({ summary: 'Change an article’s discussion settings (moderator)' })
  @ApiOkResponse({ type: ArticleSettingsDto })
  @ApiErrorResponses(400, 401, 403, 404)
  updateSettings(
    @Param('slug') slug: string,
    @Body() body: UpdateSettingsDto,
    @CurrentViewer() viewer: Viewer,
  ): Promise<ArticleSettingsDto> {
    return this.articles.updateSettings(slug, body, viewer);
  }
}
