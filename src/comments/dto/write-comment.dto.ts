import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, IsString, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { IsEntityId } from '../../common/ids.js';
import { QUOTE_SOURCES, type QuoteSource } from '../comment-quote.entity.js';
import { STANCES, type Stance } from '../comment.entity.js';

export const MAX_BODY = 10_000;
export const MAX_QUOTE = 2_000;

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

  @ApiProperty({ minLength: 1, maxLength: MAX_QUOTE, description: 'Must stand word for word in the source (white space folded)' })
  @IsString()
  @Length(1, MAX_QUOTE)
  text: string;
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

export class RevisionDto {
  @ApiProperty()
  body: string;

  @ApiProperty()
  html: string;

  @ApiProperty({ format: 'date-time', description: 'When this version was written' })
  createdAt: string;
}

export class HistoryDto {
  @ApiProperty({ type: [RevisionDto], description: 'Earlier versions, oldest first' })
  items: RevisionDto[];
}
