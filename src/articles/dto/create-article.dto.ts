import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, IsUrl, Matches, MinLength } from 'class-validator';
import { IsInstant, MaxCodePoints, OptionalNotNull } from '../../common/validation.js';

export const MAX_TITLE = 300;
export const MAX_AUTHOR = 200;
/** Characters (code points) of an essay's Markdown: a long book chapter; the JSON limit of the route fits it. */
export const MAX_ARTICLE_BODY = 500_000;
export const MAX_TAGS = 20;
export const MAX_TAG = 50;
export const MAX_SOURCE = 500;
export const MAX_CANONICAL_URL = 2_000;

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** Trimmed; an empty string means "none". */
export const trimToNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value);
/** Each tag trimmed, repeats dropped (the first kept). Anything that is not a list of strings is left to the checks. */
export const trimTags = ({ value }: { value: unknown }) =>
  Array.isArray(value)
    ? [...new Set(value.map((tag: unknown) => (typeof tag === 'string' ? tag.trim() : tag)))]
    : value;

/** `POST /api/articles`: an essay in Markdown. */
export class CreateArticleDto {
  @ApiProperty({
    minLength: 1,
    maxLength: MAX_TITLE,
    description: 'Trimmed; 1-300 characters. The slug is made from it.',
  })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxCodePoints(MAX_TITLE)
  title: string;

  @ApiProperty({
    minLength: 1,
    maxLength: MAX_ARTICLE_BODY,
    description:
      'The essay in Markdown (1-500,000 characters), split into blocks: `#`-`######` headings → heading, paragraphs → paragraph, ' +
      '`>` quotations → quote, bullet and numbered lists → list (items one per line), indented and fenced code → paragraph. ' +
      'Thematic breaks and raw html are dropped (html blocks whole; inline tags, keeping their text); images stand as their ' +
      'alt text. At least one block must remain, and at most 10,000.',
  })
  @IsString()
  @MinLength(1)
  @Matches(/\S/, { message: 'body must not be blank' })
  @MaxCodePoints(MAX_ARTICLE_BODY)
  body: string;

  @ApiProperty({
    minLength: 1,
    maxLength: MAX_AUTHOR,
    description: 'The essay’s author (free text, not a forum user); trimmed.',
  })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxCodePoints(MAX_AUTHOR)
  author: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the essay was first published: an ISO-8601 date-time with an offset (or Z); null or absent when unknown.',
  })
  @IsOptional()
  @IsInstant()
  publishedAt?: string | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_TAGS,
    description: 'At most 20 tags of 1-50 characters, each trimmed; repeats are dropped.',
  })
  @OptionalNotNull()
  @Transform(trimTags)
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxCodePoints(MAX_TAG, { each: true })
  tags?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_SOURCE,
    description: 'Where the essay was first published (free text, trimmed; empty means none).',
  })
  @IsOptional()
  @Transform(trimToNull)
  @IsString()
  @MaxCodePoints(MAX_SOURCE)
  source?: string | null;

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
