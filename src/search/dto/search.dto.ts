import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ArticleRefDto } from '../../articles/dto/article.dto.js';
import { CommentDto } from '../../comments/dto/comment.dto.js';
import { SEARCH_QUERY_MAX } from '../../common/limits.js';
import { PageCursor, PageLimit } from '../../common/pagination/page-query.dto.js';

/** What a match is: an essay (its title and text) or a comment. */
export type SearchKind = 'article' | 'comment';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class SearchQueryDto {
  @ApiProperty({
    minLength: 1,
    maxLength: SEARCH_QUERY_MAX,
    description:
      'What to find, as in a web search: every plain word is required, "quoted phrase", -excluded, `or` between alternatives. Trimmed; 1-200 characters.',
  })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(SEARCH_QUERY_MAX)
  // PostgreSQL text cannot hold a NUL.
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000]*$/, { message: 'q must not contain a NUL character' })
  q: string;

  @ApiPropertyOptional({ description: 'An essay’s slug: only that essay and its comments' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(160)
  article?: string;

  @PageLimit()
  limit?: number;

  @PageCursor()
  cursor?: string;
}

export class SearchResultDto {
  @ApiProperty({ enum: ['article', 'comment'] })
  kind: SearchKind;

  @ApiProperty({ type: ArticleRefDto, description: 'The essay found, or the essay of the comment found' })
  article: ArticleRefDto;

  @ApiProperty({ type: CommentDto, nullable: true, description: 'The comment found; null when kind is article' })
  comment: CommentDto | null;

  @ApiProperty({
    description:
      'A short passage around the matches: html whose only markup is <mark> around the matched words (everything else escaped); it begins or ends with "…" where it leaves out the start or end of the text',
  })
  snippet: string;
}

export class SearchPageDto {
  @ApiProperty({ type: [SearchResultDto], description: 'Best match first' })
  items: SearchResultDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Null, or how many comments were ranked when the query is so common that only its newest matching comments are ' +
      'listed (SEARCH_COMMON_CAP of them; essays are always all listed): a reader may add words to reach older ones',
  })
  newestMatchesOnly: number | null;
}
