import { ApiProperty } from '@nestjs/swagger';
import { ArticleRefDto } from '../../articles/dto/article.dto.js';
import { CommentDto } from '../../comments/dto/comment.dto.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { UserDto } from '../../users/dto/user.dto.js';

export class ProfileDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ format: 'date-time', description: 'When the account was created' })
  joinedAt: string;

  @ApiProperty({ description: 'Their comments whose status is visible (the same number whoever asks)' })
  commentCount: number;
}

export class ProfileCommentDto extends CommentDto {
  @ApiProperty({ type: ArticleRefDto, description: 'The essay the comment is on' })
  article: ArticleRefDto;
}

export class ProfileCommentsPageDto {
  @ApiProperty({ type: [ProfileCommentDto] })
  items: ProfileCommentDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class ProfileCommentsQueryDto extends PageQueryDto {}
