import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

/** The contract's error body, for the OpenAPI document. */
export class ErrorBodyDto {
  @ApiProperty({ example: 404 })
  statusCode: number;

  @ApiProperty({ example: 'article_not_found', description: 'A short code' })
  error: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'For a person; an array of messages for validation errors',
  })
  message: string | string[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, unknown or wrongly typed fields, a value out of bounds, a cursor the server did not issue',
  401: 'Needs a signed-in user',
  403: 'Not allowed',
  404: 'No such resource',
  409: 'Conflict',
  413: 'Body too large',
  422: 'Refers to something false',
  429: 'Rate limited; see Retry-After',
  503: 'Busy (too many sign-ins waiting for password hashing); try again after Retry-After',
};

/** Documents the error answers of an operation, each with the contract's body. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorBodyDto })),
  );
}
