import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/errors/api-error-responses.js';
import { PageQueryDto } from '../common/pagination/page-query.dto.js';
import { ArticlesService } from './articles.service.js';
import { ArticleDto, ArticlePageDto } from './dto/article.dto.js';

@ApiTags('articles')
@Controller('articles')
export class ArticlesController {
  constructor(private readonly articles: ArticlesService) {}

  @Get()
  @ApiOperation({ summary: 'List articles, newest first' })
  @ApiOkResponse({ type: ArticlePageDto })
  @ApiErrorResponses(400)
  list(@Query() query: PageQueryDto): Promise<ArticlePageDto> {
    return this.articles.list(query.limit, query.cursor);
  }

  @Get(':slug')
  @ApiOperation({ summary: 'An article with its blocks and settings' })
  @ApiOkResponse({ type: ArticleDto })
  @ApiErrorResponses(404)
  get(@Param('slug') slug: string): Promise<ArticleDto> {
    return this.articles.get(slug);
  }
}
