import { type ArticleSettingsDto } from './dto/article.dto.js';

/** What happens to articles (see src/events/domain-events.ts). */
declare module '../events/domain-events.js' {
  interface ArticleEvents {
    /** A moderator changed the discussion's settings (locked, premoderation, slow mode). */
    'article.updated': { settings: ArticleSettingsDto };
    /**
     * An admin revised the essay: its body (`revision` moved on; quotes were anchored again) or another field of its
     * publication (`revision` as it was). Followers read the essay and its quotes again.
     */
    'article.revised': { revision: number };
  }
}

export {};
