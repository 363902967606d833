import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUrl, Matches, MinLength } from 'class-validator';
import { IsInstant, MaxCodePoints, OptionalNotNull } from '../../common/validation.js';
import { UserDto } from '../../users/dto/user.dto.js';
import { BLOCK_KINDS, type BlockKind } from '../article-block.entity.js';
import {
  MAX_ARTICLE_BODY,
  MAX_AUTHOR,
  MAX_CANONICAL_URL,
  MAX_SOURCE,
  MAX_TAG,
  MAX_TAGS,
  MAX_TITLE,
  trim,
  trimTags,
  trimToNull,
} from './create-article.dto.js';

/** `PATCH /api/articles/:slug`: any of the fields of a publication; the slug never changes. */
export class UpdateArticleDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_TITLE, description: 'Trimmed; 1-300 characters.' })
  @OptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxCodePoints(MAX_TITLE)
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_AUTHOR })
  @OptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxCodePoints(MAX_AUTHOR)
  author?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: MAX_ARTICLE_BODY,
    description:
      'The essay in Markdown, as for POST. A body that reads as the same blocks as now (or is the current source) is no change; any other makes a new revision.',
  })
  @OptionalNotNull()
  @IsString()
  @MinLength(1)
  @Matches(/\S/, { message: 'body must not be blank' })
  @MaxCodePoints(MAX_ARTICLE_BODY)
  body?: string;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_TAGS })
  @OptionalNotNull()
  @Transform(trimTags)
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxCodePoints(MAX_TAG, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_SOURCE })
  @IsOptional()
  @Transform(trimToNull)
  @IsString()
  @MaxCodePoints(MAX_SOURCE)
  source?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @IsInstant()
  publishedAt?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_CANONICAL_URL,
    description: 'The essay’s address on the publisher’s site (http or https); null or empty for none.',
  })
  @IsOptional()
  @Transform(trimToNull)
  @IsString()
  @MaxCodePoints(MAX_CANONICAL_URL)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  canonicalUrl?: string | null;
}

export class ArticleSourceDto {
  @ApiProperty({ description: 'The essay as Markdown that PATCH accepts: sent back unchanged, it changes nothing.' })
  body: string;
}

export class RevisionSummaryDto {
  @ApiProperty({ description: '1 at publication, +1 at each change of the body' })
  revision: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: UserDto, nullable: true, description: 'Who wrote it; null for an imported essay' })
  by: UserDto | null;
}

export class RevisionListDto {
  @ApiProperty({ type: [RevisionSummaryDto], description: 'Newest first' })
  items: RevisionSummaryDto[];
}

export class RevisionBlockDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ enum: BLOCK_KINDS })
  kind: BlockKind;

  @ApiProperty()
  text: string;

  @ApiProperty()
  html: string;
}

export class ArticleRevisionDto {
  @ApiProperty()
  revision: number;

  @ApiProperty({ description: 'The title when this revision was made' })
  title: string;

  @ApiProperty({ type: [RevisionBlockDto], description: 'The blocks as the essay read then (without margin counts)' })
  blocks: RevisionBlockDto[];
}

/** The preview routes' request: an essay's Markdown, checked as POST and PATCH check it. */
export class EssayBodyDto {
  @ApiProperty({
    minLength: 1,
    maxLength: MAX_ARTICLE_BODY,
    description: 'The essay in Markdown, as for POST /api/articles (1-500,000 characters, at most 10,000 blocks).',
  })
  @IsString()
  @MinLength(1)
  @Matches(/\S/, { message: 'body must not be blank' })
  @MaxCodePoints(MAX_ARTICLE_BODY)
  body: string;
}

export class PreviewBlockDto {
  @ApiProperty({ enum: BLOCK_KINDS })
  kind: BlockKind;

  @ApiProperty()
  text: string;

  @ApiProperty({ description: 'Sanitised HTML, as the published essay would answer it' })
  html: string;
}

export class EssayPreviewDto {
  @ApiProperty({ type: [PreviewBlockDto], description: 'The blocks publishing this body would make (ids come then)' })
  blocks: PreviewBlockDto[];
}

export class QuoteOutcomesDto {
  @ApiProperty({ description: 'Quotes whose words would stand word for word in their own block' })
  exact: number;

  @ApiProperty({ description: 'Quotes that would be found word for word in another block' })
  moved: number;

  @ApiProperty({ description: 'Quotes whose passage would be edited (found only close enough)' })
  changed: number;

  @ApiProperty({ description: 'Quotes whose passage would be found nowhere' })
  orphaned: number;
}

export class RevisionPreviewDto {
  @ApiProperty({ description: 'Whether saving this body makes a new revision (false: it reads as the essay does now)' })
  revises: boolean;

  @ApiProperty({
    type: [RevisionBlockDto],
    description: 'The blocks the revision would make, with the ids it would give them (kept ids: the same passage)',
  })
  blocks: RevisionBlockDto[];

  @ApiProperty({
    type: QuoteOutcomesDto,
    description:
      'The anchors the quotes of visible and pending comments would take once saved (no revision: the ones they have)',
  })
  quotes: QuoteOutcomesDto;
}
