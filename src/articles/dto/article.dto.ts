import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { OptionalNotNull } from '../../common/validation.js';
import { type ArticleBlockEntity, BLOCK_KINDS, type BlockKind } from '../article-block.entity.js';
import { type ArticleEntity } from '../article.entity.js';

/** Enough of an article to name it and link to it (and, with the slug, to follow it live). */
export class ArticleRefDto {
  @ApiProperty({ example: '1' })
  id: string;

  @ApiProperty({ example: 'bolshevism-vs-stalinism' })
  slug: string;

  @ApiProperty()
  title: string;
}

export class ArticleSummaryDto extends ArticleRefDto {
  @ApiProperty({ description: 'The essay’s author (free text, not a forum user).' })
  author: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null when the source gives no date' })
  publishedAt: string | null;

  @ApiProperty()
  excerpt: string;

  @ApiProperty({ type: [String] })
  tags: string[];

  @ApiProperty({ description: 'Visible comments.' })
  commentCount: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastCommentAt: string | null;
}

/** How many comments take each stance (the same numbers whoever asks). */
export class StancesDto {
  @ApiProperty()
  agree: number;

  @ApiProperty()
  disagree: number;

  @ApiProperty()
  question: number;

  @ApiProperty()
  evidence: number;
}

/** A passage of a block that visible comments quote, where their quotes are anchored now. */
export class HighlightDto {
  @ApiProperty({ description: 'Where the passage starts in the block’s text, in UTF-16 code units.' })
  start: number;

  @ApiProperty({ description: 'Where it ends.' })
  end: number;

  @ApiProperty({ description: 'Visible comments quoting exactly this passage.' })
  count: number;
}

/** A block answers at most this many highlights: a margin can mark no more than that legibly. */
export const MAX_BLOCK_HIGHLIGHTS = 20;

export class BlockDto {
  @ApiProperty({ description: 'Stable across restarts and re-imports.', example: 'b7k2m9x4q1w8e3r5' })
  id: string;

  @ApiProperty({ enum: BLOCK_KINDS })
  kind: BlockKind;

  @ApiProperty({ description: 'Plain text; list items one per line. Quotes are verified against it.' })
  text: string;

  @ApiProperty({ description: 'Sanitised html.' })
  html: string;

  @ApiProperty({ description: 'Visible comments that quote this block (anchored to it now).' })
  commentCount: number;

  @ApiProperty({ type: StancesDto, description: 'Those comments by stance.' })
  stances: StancesDto;

  @ApiProperty({
    type: [HighlightDto],
    maxItems: MAX_BLOCK_HIGHLIGHTS,
    description: `The passages visible comments quote, by where their quotes are anchored now (orphaned ones nowhere), in the order they stand; at most ${MAX_BLOCK_HIGHLIGHTS}, the most quoted. Passages may overlap.`,
  })
  highlights: HighlightDto[];
}

export class ArticleSettingsDto {
  @ApiProperty()
  locked: boolean;

  @ApiProperty()
  premoderation: boolean;

  @ApiProperty({ minimum: 0 })
  slowModeSeconds: number;
}

export class ArticleDto extends ArticleSummaryDto {
  @ApiProperty({ type: String, nullable: true, description: 'Where the essay was first published (free text).' })
  source: string | null;

  @ApiProperty({ type: [BlockDto] })
  blocks: BlockDto[];

  @ApiProperty({ type: ArticleSettingsDto })
  settings: ArticleSettingsDto;

  @ApiProperty({
    description:
      'The article’s live event number this answer is current to (margin counts included): `join` with it as `since` to receive every later change.',
  })
  seq: number;

  @ApiProperty({ description: 'The viewer follows this essay (every new top-level comment notifies them)' })
  following: boolean;

  @ApiProperty({ description: 'The body’s revision: 1 at publication, +1 at each change of the body' })
  revision: number;

  @ApiProperty({ format: 'date-time', description: 'Publication, then every change of any field' })
  updatedAt: string;

  @ApiProperty({ type: String, nullable: true, description: 'The essay’s address on the publisher’s site' })
  canonicalUrl: string | null;

  @ApiProperty({ type: StancesDto, description: 'Visible top-level comments by their stance towards the essay.' })
  stances: StancesDto;
}

export class ArticlePageDto {
  @ApiProperty({ type: [ArticleSummaryDto] })
  items: ArticleSummaryDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass back as `cursor` for the next page; null on the last.',
  })
  nextCursor: string | null;
}

export function toArticleSummaryDto(article: ArticleEntity): ArticleSummaryDto {
  return {
    id: article.id,
    slug: article.slug,
    title: article.title,
    author: article.author,
    publishedAt: article.publishedAt?.toISOString() ?? null,
    excerpt: article.excerpt,
    tags: article.tags,
    commentCount: article.commentCount,
    lastCommentAt: article.lastCommentAt?.toISOString() ?? null,
  };
}

export function toArticleSettingsDto(article: ArticleEntity): ArticleSettingsDto {
  return { locked: article.locked, premoderation: article.premoderation, slowModeSeconds: article.slowModeSeconds };
}

/**
 * The essay as anyone reads it; `following` is the viewer's to fill in. `highlights` holds each block's quoted passages
 * (an essay just published has none).
 */
export function toArticleDto(
  article: ArticleEntity,
  blocks: ArticleBlockEntity[],
  highlights: ReadonlyMap<string, HighlightDto[]> = new Map(),
): ArticleDto {
  return {
    ...toArticleSummaryDto(article),
    source: article.source,
    blocks: blocks.map((b) => ({
      id: b.id,
      kind: b.kind,
      text: b.text,
      html: b.html,
      commentCount: b.commentCount,
      stances: stancesOf(b),
      highlights: highlights.get(b.id) ?? [],
    })),
    settings: toArticleSettingsDto(article),
    seq: Number(article.eventSeq),
    following: false,
    revision: article.revision,
    updatedAt: article.updatedAt.toISOString(),
    canonicalUrl: article.canonicalUrl,
    stances: stancesOf(article),
  };
}

function stancesOf(counters: {
  stanceAgree: number;
  stanceDisagree: number;
  stanceQuestion: number;
  stanceEvidence: number;
}): StancesDto {
  return {
    agree: counters.stanceAgree,
    disagree: counters.stanceDisagree,
    question: counters.stanceQuestion,
    evidence: counters.stanceEvidence,
  };
}

export class UpdateSettingsDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  locked?: boolean;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  premoderation?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 86_400,
    description: 'A reader may post once per this many seconds (0: off)',
  })
  @OptionalNotNull()
  @IsInt()
  @Min(0)
  @Max(86_400)
  slowModeSeconds?: number;
}
