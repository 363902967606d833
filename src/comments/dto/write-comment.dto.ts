import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsEntityId } from '../../common/ids.js';
import { MAX_LIMIT, PageCursor } from '../../common/pagination/page-query.dto.js';
import { QUOTE_SOURCES, type QuoteSource } from '../comment-quote.entity.js';
import { STANCES, type Stance } from '../comment.entity.js';

import {
  COMMENT_BODY_MAX as MAX_BODY,
  QUOTE_MAX as MAX_QUOTE,
  MAX_EDITS,
  QUOTE_CONTEXT_MAX,
} from '../../common/limits.js';

/** Far past any block's length (an essay's Markdown is at most 500,000 characters). */
const QUOTE_START_MAX = 10_000_000;

export { MAX_BODY, MAX_QUOTE, MAX_EDITS };

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class QuoteInputDto {
  @ApiProperty({ enum: QUOTE_SOURCES })
  @IsIn(QUOTE_SOURCES)
  source: QuoteSource;

  @ApiPropertyOptional({ description: 'With source "article"' })
  @ValidateIf((q: QuoteInputDto) => q.source === 'article' || q.blockId !== undefined)
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'quote.blockId is not a block id' })
  blockId?: string;

  @ApiPropertyOptional({ description: 'With source "comment"' })
  @ValidateIf((q: QuoteInputDto) => q.source === 'comment' || q.commentId !== undefined)
  @IsEntityId('a comment')
  commentId?: string;

  @ApiProperty({
    minLength: 1,
    maxLength: MAX_QUOTE,
    description: 'Must stand word for word in the source (white space folded)',
  })
  @IsString()
  @Length(1, MAX_QUOTE)
  text: string;

  @ApiPropertyOptional({
    maxLength: QUOTE_CONTEXT_MAX,
    description:
      'Article quotes: the text just before the quoted words, to tell which occurrence of a repeated phrase is meant (a hint)',
  })
  @IsOptional()
  @IsString()
  @Length(0, QUOTE_CONTEXT_MAX)
  prefix?: string;

  @ApiPropertyOptional({ maxLength: QUOTE_CONTEXT_MAX, description: 'Article quotes: the text just after (a hint)' })
  @IsOptional()
  @IsString()
  @Length(0, QUOTE_CONTEXT_MAX)
  suffix?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: QUOTE_START_MAX,
    description: 'Article quotes: the offset of the quoted words in the block’s text, UTF-16 code units (a hint)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(QUOTE_START_MAX)
  start?: number;
}

export class CreateCommentDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_BODY, description: 'Markdown; 1-10,000 characters after trimming' })
  @Transform(trim)
  @IsString()
  @Length(1, MAX_BODY)
  body: string;

  @ApiPropertyOptional({ description: 'The comment this one answers (of the same article)' })
  @IsOptional()
  @IsEntityId('a comment')
  parentId?: string;

  @ApiPropertyOptional({ enum: STANCES, nullable: true })
  @IsOptional()
  @IsIn(STANCES)
  stance?: Stance | null;

  @ApiPropertyOptional({ type: QuoteInputDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => QuoteInputDto)
  quote?: QuoteInputDto | null;
}

export class EditCommentDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_BODY })
  @IsDefined()
  @Transform(trim)
  @IsString()
  @Length(1, MAX_BODY)
  body: string;
}

export class CommentPreviewDto {
  @ApiProperty({ description: 'The body as a comment would show it: the sanitised html, `@names` of users linked' })
  html: string;
}

export class RevisionDto {
  @ApiProperty()
  body: string;

  @ApiProperty()
  html: string;

  @ApiProperty({ format: 'date-time', description: 'When this version was written' })
  createdAt: string;

  @ApiProperty({
    description:
      'Readers saw this version. Readers are only ever given such versions; the author and moderators also get the ones written while the comment waited for a moderator (false).',
  })
  public: boolean;
}

/**
 * The history's page size defaults to MAX_EDITS rather than the lists' 20: one answer without a cursor still holds
 * the whole history of any comment within the cap, as the answer did before it was paged.
 */
export class HistoryQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: MAX_EDITS, description: 'Earlier versions per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @PageCursor()
  cursor?: string;
}

export class HistoryDto {
  @ApiProperty({ type: [RevisionDto], description: 'Earlier versions, oldest first' })
  items: RevisionDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the versions after these; null on the last page',
  })
  nextCursor: string | null;
}
