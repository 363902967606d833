import { Injectable } from '@nestjs/common';
import { requireSignedIn, type Viewer } from '../auth/viewer.js';
import { MENTION_SUGGESTIONS_MAX } from '../common/limits.js';
import { toUserDto } from '../users/dto/user.dto.js';
import { UsersRepository } from '../users/users.repository.js';
import { type MentionSuggestionsDto } from './dto/mention-suggestions.dto.js';

/**
 * `@` autocomplete for the comment composer: the names a mention could link, the users who would be told of it (who
 * can sign in, not banned). Mentions belong to comments, which render and notify them; the names come from users.
 */
@Injectable()
export class MentionSuggestions {
  constructor(private readonly users: UsersRepository) {}

  /** Never the one asking: nobody is notified of their own mention. */
  async forPrefix(prefix: string, viewer: Viewer): Promise<MentionSuggestionsDto> {
    const found = await this.users.findMentionable(prefix, MENTION_SUGGESTIONS_MAX, requireSignedIn(viewer));
    return { items: found.map(toUserDto) };
  }
}
