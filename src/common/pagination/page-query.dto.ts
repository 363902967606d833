import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

import { PAGE_LIMIT_DEFAULT as DEFAULT_LIMIT, PAGE_LIMIT_MAX as MAX_LIMIT } from '../limits.js';

export { DEFAULT_LIMIT, MAX_LIMIT };

/** An optional `limit` query parameter: an integer from 1 to 100, default 20. */
export function PageLimit(description?: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_LIMIT),
  );
}

/** An optional opaque `cursor` query parameter: the `nextCursor` of the previous page. */
export function PageCursor(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' }),
    IsOptional(),
    IsString(),
    MinLength(1),
    MaxLength(512),
  );
}

/** `limit` (1-100, default 20) and an opaque `cursor`. */
export class PageQueryDto {
  @PageLimit()
  limit?: number;

  @PageCursor()
  cursor?: string;
}
