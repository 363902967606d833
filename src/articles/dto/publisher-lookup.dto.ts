import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, IsUrl, Matches } from 'class-validator';
import { MaxCodePoints } from '../../common/validation.js';
import { SLUG_PATTERN } from '../free-slug.js';
import { MAX_CANONICAL_URL } from './create-article.dto.js';

/** How many essays one `GET /api/articles/counts` may name: a publisher's list page, not the whole site. */
export const MAX_COUNTED_SLUGS = 100;

export class ByUrlQueryDto {
  @ApiProperty({
    maxLength: MAX_CANONICAL_URL,
    description: 'The essay’s address on the publisher’s site, exactly as its `canonicalUrl`',
  })
  @IsString()
  @MaxCodePoints(MAX_CANONICAL_URL)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  url: string;
}

export class CountsQueryDto {
  @ApiProperty({
    type: String,
    example: 'on-liberty,the-tyranny-of-structurelessness',
    description: `Up to ${MAX_COUNTED_SLUGS} essay slugs, comma-separated`,
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value.split(',')
      : Array.isArray(value)
        ? value.flatMap((v) => String(v).split(','))
        : value,
  )
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_COUNTED_SLUGS)
  @Matches(SLUG_PATTERN, { each: true, message: 'each of slugs must be an essay slug' })
  slugs: string[];
}

export class CommentCountsDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { 'on-liberty': 12 },
    description: 'Each known slug’s `commentCount` (as the essay list shows it); unknown slugs are left out',
  })
  counts: Record<string, number>;
}
