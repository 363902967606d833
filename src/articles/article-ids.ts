import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ArticlesRepository } from './articles.repository.js';

/** Slugs whose ids one process keeps: far more essays than a forum's live readers follow at once. */
const REMEMBERED_SLUGS = 10_000;

/**
 * An article's id by its slug, remembered once found. A slug names one article for good (it is never changed and no
 * article is deleted), so a remembered id cannot go stale, in this process or because of another; an unknown slug is
 * not remembered, since an essay may be published under it later. For the hot lookups that need only the id (a live
 * join: a thousand readers opening one essay ask for the same slug).
 */
@Injectable()
export class ArticleIds {
  private readonly known = new LRUCache<string, string>({ max: REMEMBERED_SLUGS });

  constructor(private readonly articles: ArticlesRepository) {}

  async of(slug: string): Promise<string | null> {
    const remembered = this.known.get(slug);
    if (remembered !== undefined) return remembered;
    const id = await this.articles.findIdBySlug(slug);
    if (id !== null) this.known.set(slug, id);
    return id;
  }
}
