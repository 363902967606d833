import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { STANCES, type Stance } from '../../common/limits.js';
import { MAX_LIMIT, PageLimit } from '../../common/pagination/page-query.dto.js';
import { plainInt, readPlainQueries } from '../../common/plain-query.js';
import { THREAD_SORTS, type ThreadSort } from '../thread-sort.js';

import { THREAD_DEPTH_DEFAULT as DEFAULT_DEPTH, THREAD_DEPTH_MAX as MAX_DEPTH } from '../../common/limits.js';

export { DEFAULT_DEPTH, MAX_DEPTH };
export const DEFAULT_REPLY_LIMIT = 10;
const MAX_REPLY_LIMIT = 100;
const CURSOR = /^[A-Za-z0-9_.-]{1,512}$/;
const BLOCK_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** The ranges of the thread query's integers, as their decorators below (and PageLimit) check them. */
const INT_RANGES = { depth: [0, MAX_DEPTH], replyLimit: [0, MAX_REPLY_LIMIT], limit: [1, MAX_LIMIT] } as const;

/** Sort, depth and reply limit: shared by the thread, the permalink and "load more replies". */
export class TreeQueryDto {
  @ApiPropertyOptional({ enum: THREAD_SORTS, default: 'best' })
  @IsOptional()
  @IsIn(THREAD_SORTS)
  sort?: ThreadSort;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_DEPTH,
    default: DEFAULT_DEPTH,
    description: 'Levels of replies included',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_DEPTH)
  depth?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_REPLY_LIMIT,
    default: DEFAULT_REPLY_LIMIT,
    description: 'Replies included per comment at each level (an extension of the contract)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_REPLY_LIMIT)
  replyLimit?: number;
}

export class ThreadQueryDto extends TreeQueryDto {
  @PageLimit('Top-level comments per page')
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(CURSOR, { message: 'cursor is not a cursor this server issued' })
  cursor?: string;

  @ApiPropertyOptional({ description: 'Keep the comments that quote this block' })
  @IsOptional()
  @IsString()
  @Matches(BLOCK_ID, { message: 'blockId is not a block id' })
  blockId?: string;

  @ApiPropertyOptional({
    enum: STANCES,
    description:
      'Keep the top-level comments that take this stance towards the essay (replies are not filtered); with blockId, the comments quoting the block that take it',
  })
  @IsOptional()
  @IsIn(STANCES)
  stance?: Stance;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'true: keep the featured top-level comments (replies are not filtered); with blockId, the featured comments quoting the block',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  featured?: 'true' | 'false';
}

/**
 * The thread's query read without class-transformer and class-validator when it is plainly valid (the thread's first
 * page is the hottest read there is); anything else goes through them, for the same value or the same 400.
 */
readPlainQueries(ThreadQueryDto, (query) => {
  const dto = new ThreadQueryDto();
  for (const key in query) {
    const value = query[key];
    if (typeof value !== 'string') return null;
    switch (key) {
      case 'sort':
        if (!(THREAD_SORTS as readonly string[]).includes(value)) return null;
        dto.sort = value as ThreadSort;
        break;
      case 'depth':
      case 'replyLimit':
      case 'limit': {
        const [min, max] = INT_RANGES[key];
        const n = plainInt(value, min, max);
        if (n === null) return null;
        dto[key] = n;
        break;
      }
      case 'cursor':
        if (!CURSOR.test(value)) return null;
        dto.cursor = value;
        break;
      case 'blockId':
        if (!BLOCK_ID.test(value)) return null;
        dto.blockId = value;
        break;
      case 'stance':
        if (!(STANCES as readonly string[]).includes(value)) return null;
        dto.stance = value as Stance;
        break;
      case 'featured':
        if (value !== 'true' && value !== 'false') return null;
        dto.featured = value;
        break;
      default:
        return null;
    }
  }
  return dto;
});

export class PermalinkQueryDto extends TreeQueryDto {
  @PageLimit('Replies of the comment included')
  limit?: number;
}

export class RepliesQueryDto extends ThreadQueryDto {}
