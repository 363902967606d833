import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { STANCES, type Stance } from '../../common/limits.js';
import { PageLimit } from '../../common/pagination/page-query.dto.js';
import { THREAD_SORTS, type ThreadSort } from '../thread-sort.js';

import { THREAD_DEPTH_DEFAULT as DEFAULT_DEPTH, THREAD_DEPTH_MAX as MAX_DEPTH } from '../../common/limits.js';

export { DEFAULT_DEPTH, MAX_DEPTH };
export const DEFAULT_REPLY_LIMIT = 10;

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
    maximum: 100,
    default: DEFAULT_REPLY_LIMIT,
    description: 'Replies included per comment at each level (an extension of the contract)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  replyLimit?: number;
}

export class ThreadQueryDto extends TreeQueryDto {
  @PageLimit('Top-level comments per page')
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,512}$/, { message: 'cursor is not a cursor this server issued' })
  cursor?: string;

  @ApiPropertyOptional({ description: 'Keep the comments that quote this block' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'blockId is not a block id' })
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

export class PermalinkQueryDto extends TreeQueryDto {
  @PageLimit('Replies of the comment included')
  limit?: number;
}

export class RepliesQueryDto extends ThreadQueryDto {}
