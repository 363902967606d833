import { Injectable } from '@nestjs/common';
import { Feed } from 'feed';
import { ArticlesService } from '../articles/articles.service.js';
import { ReaderViews } from '../comments/reader-views.js';
import { escapeHtml } from '../common/markdown/markdown.js';
import { AppConfig } from '../config/app-config.js';

/** Entries per feed: what a feed reader shows of the latest, not an archive. */
export const FEED_ENTRIES = 50;

/** The forum's name in feeds, as the web client's pages name it. */
const FORUM_NAME = 'Essay forum';

/**
 * The Atom 1.0 feeds: the latest essays, and an essay's latest visible comments (any depth). Built with `feed`, a
 * maintained feed writer, so no XML is written by hand here. It declares entry titles and summaries `type="html"` and
 * writes them as CDATA without escaping them, so plain text (a title, an excerpt) is escaped as html here, and a
 * CDATA end marker in a comment's html is broken up. Every link is absolute, under PUBLIC_URL; a comment's content is
 * its html as any reader sees it (sanitised when it was rendered), and nothing a reader may not see is in a feed:
 * pending, removed and deleted comments are left out.
 */
@Injectable()
export class AtomFeeds {
  constructor(
    private readonly config: AppConfig,
    private readonly articles: ArticlesService,
    private readonly readerViews: ReaderViews,
  ) {}

  async essays(): Promise<string> {
    const essays = await this.articles.latestForFeed(FEED_ENTRIES);
    const feed = new Feed({
      title: `${FORUM_NAME}: essays`,
      id: this.url('/feeds/essays.atom'),
      link: this.url('/'),
      updated: latest(essays.map((e) => e.updatedAt)),
      feedLinks: { atom: this.url('/feeds/essays.atom') },
      generator: FORUM_NAME,
    });
    for (const essay of essays) {
      feed.addItem({
        title: escapeHtml(essay.title),
        id: this.url(`/articles/${essay.slug}`),
        link: this.url(`/articles/${essay.slug}`),
        date: essay.updatedAt,
        published: essay.publishedAt,
        description: escapeHtml(essay.excerpt),
        author: [{ name: essay.author }],
      });
    }
    return feed.atom1();
  }

  /** 404 (the articles domain's) for an unknown essay. */
  async comments(slug: string): Promise<string> {
    const article = await this.articles.requireBySlug(slug);
    const comments = await this.readerViews.latestPublic(article.id, FEED_ENTRIES);
    const self = this.url(`/feeds/articles/${article.slug}/comments.atom`);
    const feed = new Feed({
      title: `${FORUM_NAME}: comments on ${article.title}`,
      id: self,
      link: this.url(`/articles/${article.slug}`),
      updated: latest([article.updatedAt, ...comments.map((c) => new Date(c.editedAt ?? c.createdAt))]),
      feedLinks: { atom: self },
      generator: FORUM_NAME,
    });
    for (const comment of comments) {
      const name = comment.author?.displayName ?? 'A reader';
      feed.addItem({
        title: escapeHtml(`${name} on ${article.title}`),
        id: this.url(`/comments/${comment.id}`),
        link: this.url(`/comments/${comment.id}`),
        date: new Date(comment.editedAt ?? comment.createdAt),
        published: new Date(comment.createdAt),
        content: cdataSafe(comment.html ?? ''),
        author: comment.author ? [{ name, link: this.url(`/users/${comment.author.username}`) }] : undefined,
      });
    }
    return feed.atom1();
  }

  private url(path: string): string {
    return new URL(path, this.config.publicUrl).toString();
  }
}

/** The newest of these times; the Unix epoch for none (an empty feed still needs one). */
function latest(times: Date[]): Date {
  return new Date(Math.max(0, ...times.map((t) => t.getTime())));
}

/** Html that can stand inside CDATA: its end marker, which may appear in text or an attribute, is escaped. */
function cdataSafe(html: string): string {
  return html.replaceAll(']]>', ']]&gt;');
}
