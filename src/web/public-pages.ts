import { type ArticlesService } from '../articles/articles.service.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { escapeHtml, htmlToText } from '../common/markdown/markdown.js';
import { type CommentDto } from '../comments/dto/comment.dto.js';
import { type ReaderViews } from '../comments/reader-views.js';

/** The forum's name, as the client's pages and the feeds name it. */
const FORUM_NAME = 'Essay forum';
/** A description's length: what link previews and search results show of it. */
const DESCRIPTION_LENGTH = 200;
/** The most a sitemap file may list (sitemaps.org). */
export const SITEMAP_ENTRIES = 50_000;

/** What the shell of the client carries for one page: its status, the head's tags, and what #app holds. */
export interface PageContent {
  status: number;
  head: string;
  body: string;
}

/**
 * The content of the essay and comment pages before any script runs, for link previews, crawlers and readers without
 * JavaScript: the head names the essay (or comment) and the body holds its text, which the client replaces when it
 * starts. Only what an anonymous reader may see, read afresh for every request (one essay, or one comment and its
 * essay); every piece of text is escaped here, and the html put in the body is the sanitised html the API answers.
 */
export class PublicPages {
  constructor(
    private readonly articles: ArticlesService,
    private readonly readerViews: ReaderViews,
    private readonly publicUrl: string,
  ) {}

  async article(rawSlug: string): Promise<PageContent> {
    const slug = decoded(rawSlug);
    const found = slug === null ? null : await orNull(this.articles.readable(slug), ErrorCode.ArticleNotFound);
    if (!found) return notFound();
    const { article, blocks } = found;
    const page = this.url(`/articles/${article.slug}`);
    const byline = article.publishedAt
      ? `${escapeHtml(article.author)}, <time datetime="${article.publishedAt.toISOString()}">${longDate(article.publishedAt)}</time>`
      : escapeHtml(article.author);
    return {
      status: 200,
      head: head({
        title: article.title,
        description: article.excerpt,
        url: article.canonicalUrl ?? page,
        feed: {
          title: `Comments on ${article.title}`,
          href: this.url(`/feeds/articles/${article.slug}/comments.atom`),
        },
      }),
      body: [
        '<main class="static-page"><article class="essay">',
        `<h1>${escapeHtml(article.title)}</h1>`,
        `<p class="byline">By ${byline}</p>`,
        ...blocks.map((block) => `<div class="block-text block-${block.kind}">${block.html}</div>`),
        '</article></main>',
      ].join('\n'),
    };
  }

  async comment(rawId: string): Promise<PageContent> {
    const id = decoded(rawId);
    const found = id === null ? null : await orNull(this.readerViews.forAnyone(id), ErrorCode.CommentNotFound);
    if (!found) return notFound();
    const { comment, article } = found;
    const name = comment.author?.displayName ?? (comment.status === 'deleted' ? '[deleted]' : '[removed]');
    const essay = this.url(`/articles/${article.slug}`);
    const text = comment.html === null ? placeholder(comment) : htmlToText(comment.html);
    return {
      status: 200,
      head: head({
        title: `${name} on ${article.title}`,
        description: text,
        url: this.url(`/comments/${comment.id}`),
        feed: {
          title: `Comments on ${article.title}`,
          href: this.url(`/feeds/articles/${article.slug}/comments.atom`),
        },
      }),
      body: [
        '<main class="static-page"><article class="comment">',
        `<p class="byline">${escapeHtml(name)} on <a href="${escapeHtml(essay)}">${escapeHtml(article.title)}</a>,`,
        ` <time datetime="${comment.createdAt}">${longDate(new Date(comment.createdAt))}</time></p>`,
        comment.html === null
          ? `<p class="placeholder">${escapeHtml(placeholder(comment))}</p>`
          : `${quoted(comment)}<div class="comment-body">${comment.html}</div>`,
        '</article></main>',
      ].join('\n'),
    };
  }

  private url(path: string): string {
    return new URL(path, this.publicUrl).toString();
  }
}

/** The tags of a page's head: its title, description, Open Graph, canonical link and comment feed. */
function head(page: { title: string; description: string; url: string; feed: { title: string; href: string } }) {
  const description = shortened(page.description);
  return [
    `<title>${escapeHtml(page.title)} · ${FORUM_NAME}</title>`,
    `<meta name="description" content="${escapeHtml(description)}" />`,
    `<meta property="og:title" content="${escapeHtml(page.title)}" />`,
    `<meta property="og:description" content="${escapeHtml(description)}" />`,
    '<meta property="og:type" content="article" />',
    `<meta property="og:url" content="${escapeHtml(page.url)}" />`,
    `<meta property="og:site_name" content="${FORUM_NAME}" />`,
    `<link rel="canonical" href="${escapeHtml(page.url)}" />`,
    `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(page.feed.title)}" href="${escapeHtml(page.feed.href)}" />`,
  ].join('\n    ');
}

/** The client's own not-found page will say so; the shell only answers the status and the forum's name. */
function notFound(): PageContent {
  return { status: 404, head: `<title>Not found · ${FORUM_NAME}</title>`, body: '' };
}

/** What a reader sees in place of a comment whose body they may not read. */
function placeholder(comment: CommentDto): string {
  return comment.status === 'deleted' ? 'Deleted by its author.' : 'Removed by a moderator.';
}

/** The passage the comment quotes (of the essay or of another comment), as text. */
function quoted(comment: CommentDto): string {
  return comment.quote
    ? `<blockquote class="comment-quote"><p>${escapeHtml(comment.quote.text)}</p></blockquote>\n`
    : '';
}

/** White space folded, cut at a word boundary near DESCRIPTION_LENGTH characters. */
function shortened(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  if (folded.length <= DESCRIPTION_LENGTH) return folded;
  const cut = folded.slice(0, DESCRIPTION_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > DESCRIPTION_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A path segment as the client reads it; null for malformed percent-encoding (an address that names nothing). */
function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The answer, or null when it is the domain's 404 of this kind; any other failure is thrown on. */
async function orNull<T>(answer: Promise<T>, notFoundCode: ErrorCode): Promise<T | null> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof DomainError && error.code === notFoundCode) return null;
    throw error;
  }
}

function longDate(date: Date): string {
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
