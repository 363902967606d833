import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import {
  MENTION_PREFIX_MAX,
  MENTION_PREFIX_MIN,
  MENTION_PREFIX_PATTERN,
  MENTION_SUGGESTIONS_MAX,
} from '../../common/limits.js';
import { UserDto } from '../../users/dto/user.dto.js';

export class MentionSuggestionsQueryDto {
  @ApiProperty({
    minLength: MENTION_PREFIX_MIN,
    maxLength: MENTION_PREFIX_MAX,
    pattern: MENTION_PREFIX_PATTERN,
    description: 'The start of a username, as typed after `@` (any case)',
  })
  @IsString()
  @Matches(new RegExp(MENTION_PREFIX_PATTERN), {
    message: `prefix must be ${MENTION_PREFIX_MIN}-${MENTION_PREFIX_MAX} of the characters of a username (A-Z, a-z, 0-9, _ and -)`,
  })
  prefix: string;
}

export class MentionSuggestionsDto {
  @ApiProperty({
    type: [UserDto],
    maxItems: MENTION_SUGGESTIONS_MAX,
    description: `At most ${MENTION_SUGGESTIONS_MAX} users whose username starts with the prefix, alphabetical`,
  })
  items: UserDto[];
}
