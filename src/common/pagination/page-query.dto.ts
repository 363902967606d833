import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

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
