import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArticleRefDto } from '../../articles/dto/article.dto.js';
import { UserDto } from '../../users/dto/user.dto.js';
import { QUOTE_ANCHORS, QUOTE_SOURCES, type QuoteAnchor, type QuoteSource } from '../comment-quote.entity.js';
import { COMMENT_STATUSES, type CommentStatus, STANCES, type Stance } from '../comment.entity.js';

export class QuoteDto {
  @ApiProperty({ enum: QUOTE_SOURCES })
  source: QuoteSource;

  @ApiPropertyOptional({ description: 'With source "article": the quoted block.' })
  blockId?: string;

  @ApiPropertyOptional({ description: 'With source "comment": the quoted comment.' })
  commentId?: string;

  @ApiProperty()
  text: string;

  @ApiProperty({ description: 'The text stands word for word (white space folded) in its source as it is now.' })
  verified: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      'Article quotes: where the quoted words (or, when changed, the passage) start in the block’s text, in UTF-16 code units; null when orphaned.',
  })
  start?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Article quotes: where they end; null when orphaned.',
  })
  end?: number | null;

  @ApiPropertyOptional({
    enum: QUOTE_ANCHORS,
    description:
      'Article quotes: how the essay’s latest revision left the quote: exact (in its block), moved (word for word in another block, named by blockId), changed (the passage was edited: start/end mark it, current holds its text) or orphaned (no passage close enough; blockId names the block it came from).',
  })
  anchor?: QuoteAnchor;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Article quotes: the passage’s text now when anchor is changed; null otherwise.',
  })
  current?: string | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      'Article quotes: the essay’s revision the words were taken from (GET /api/articles/:slug/revisions/:revision shows it); re-anchoring never changes it.',
  })
  revision?: number | null;
}

export class CommentDto {
  @ApiProperty({ example: '17' })
  id: string;

  @ApiProperty()
  articleId: string;

  @ApiProperty({ type: String, nullable: true })
  parentId: string | null;

  @ApiProperty({ description: '0 for a top-level comment' })
  depth: number;

  @ApiProperty({ type: UserDto, nullable: true, description: 'null on a removed or deleted placeholder' })
  author: UserDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'The Markdown the author wrote; null on a placeholder' })
  body: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Sanitised rendering of body; null on a placeholder' })
  html: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  editedAt: string | null;

  @ApiProperty({ enum: COMMENT_STATUSES })
  status: CommentStatus;

  @ApiProperty({ enum: STANCES, nullable: true })
  stance: Stance | null;

  @ApiProperty({ type: QuoteDto, nullable: true, description: 'The (first) passage the comment quotes' })
  quote: QuoteDto | null;

  @ApiProperty({
    type: [QuoteDto],
    description: 'Every passage the comment quotes (an imported comment may quote several); quote is the first',
  })
  quotes: QuoteDto[];

  @ApiProperty({ description: 'upvotes - downvotes' })
  score: number;

  @ApiProperty()
  upvotes: number;

  @ApiProperty()
  downvotes: number;

  @ApiProperty({ enum: [-1, 0, 1] })
  myVote: number;

  @ApiProperty({
    description:
      'The viewer follows this comment itself (every new comment under it notifies them); false for anonymous readers and in live events',
  })
  following: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The moderator’s reason for the latest removal of a removed comment, for its author and moderators only; null for everyone else, for a comment that is not removed (or removed without a reason), and in live events',
  })
  removalReason: string | null;

  @ApiProperty({
    description:
      'A moderator featured this top-level comment (featured comments are listed with `?featured=true`); false on a placeholder',
  })
  featured: boolean;

  @ApiProperty({
    description: 'Direct replies that readers see (a reply readers never saw, such as a pending one, is not counted)',
  })
  replyCount: number;
}

export class CommentNodeDto extends CommentDto {
  @ApiProperty({ type: () => [CommentNodeDto] })
  replies: CommentNodeDto[];

  @ApiProperty({ description: 'Direct replies not included in replies' })
  moreReplies: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'With moreReplies > 0 after some included replies: pass as `cursor` to `GET /api/comments/:id/replies` (same sort) for the replies after them; null: start from the first.',
  })
  repliesCursor: string | null;
}

export class ThreadPageDto {
  @ApiProperty({ type: [CommentNodeDto] })
  items: CommentNodeDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;

  @ApiProperty({ description: 'The article’s comments that this reader may see' })
  total: number;

  @ApiProperty({
    description:
      'The article’s live event number when this page was read: every event up to it is in the page, and a later one may be too (applying it again changes nothing).',
  })
  seq: number;
}

export class RepliesPageDto {
  @ApiProperty({ type: [CommentNodeDto] })
  items: CommentNodeDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class PermalinkDto {
  @ApiProperty({ type: CommentNodeDto })
  comment: CommentNodeDto;

  @ApiProperty({
    type: [CommentDto],
    description:
      'From the top-level comment down to the parent; for a comment more than 20 levels deep, its nearest 20 (from the highest of them down to the parent)',
  })
  ancestors: CommentDto[];

  @ApiProperty({
    description:
      'How many ancestors are above the first one given (0: the first is the top-level comment); the first one’s parentId leads up',
  })
  moreAncestors: number;

  @ApiProperty({ type: ArticleRefDto })
  article: ArticleRefDto;

  @ApiProperty({ description: 'The article’s live event number before this was read: `join` with it as `since`.' })
  seq: number;
}
