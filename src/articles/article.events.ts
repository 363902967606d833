import { type ArticleSettingsDto } from './dto/article.dto.js';

/** What happens to articles (see src/events/domain-events.ts). */
declare module '../events/domain-events.js' {
  interface ArticleEvents {
    /** A moderator changed the discussion's settings (locked, premoderation, slow mode). */
    'article.updated': { settings: ArticleSettingsDto };
  }
}

export {};
