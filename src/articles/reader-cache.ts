import { createHash } from 'node:crypto';
import { applyDecorators, Injectable } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { type Request, type Response } from 'express';
import { LRUCache } from 'lru-cache';
import { type Viewer } from '../auth/viewer.js';
import { AppConfig } from '../config/app-config.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { AnswerCache, type StoredAnswer, unstoredAnswer } from '../common/http/answer-cache.js';
import { COMPRESSION_THRESHOLD, encode, preferredCoding } from '../common/http/content-coding.js';
import { type ArticleReadKey, ArticlesRepository } from './articles.repository.js';
import { isArticleSlug } from './free-slug.js';

/**
 * The format of the cached answers: part of every key and ETag, so that a deploy that changes what an answer holds
 * for the same data (a new field, another mapping) never answers 304 to a copy made by the code before it. Raise it
 * with any such change (the shape's changes are caught by a spec: ANSWER_SCHEMAS_DIGEST).
 */
const ANSWER_FORMAT = 1;
/**
 * The digest of the cached answers' schemas (in openapi.json) when ANSWER_FORMAT was last raised: a spec fails when
 * they change shape and it was not (reader-cache-format.spec.ts), and names the new digest.
 */
export const ANSWER_SCHEMAS_DIGEST = '5d07625139f34f49';

/** Essays asked for once that are remembered, to keep them at their second reading: keys only, about a megabyte. */
const ESSAYS_REMEMBERED = 10_000;

/** The reads answered from the cache, each with its own keys. */
export type CachedRead = 'thread' | 'article';

/** What `Cache-Control` and `Vary` say on the answers of these reads (also documented in the OpenAPI document). */
const PUBLIC_CACHE_CONTROL = 'public, no-cache';
const PRIVATE_CACHE_CONTROL = 'private, no-store';
const VARY = 'Accept-Encoding, Authorization, Cookie';
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Anonymous readers' answers about an article (its thread pages, the essay itself) kept by what they are current to:
 * the article, its latest event number, the number that moves with authors' names (ArticlesRepository.findReadKey,
 * one indexed read) and the normalised query. Every change to what such an answer shows records an article event in
 * its own transaction, which moves the number; a rename or a new role moves the other. So a key read now names only
 * answers made from what the database holds now or later, and nothing goes stale: no timer, no invalidation message,
 * nothing one process must hear from another (each reads the numbers from the database, which they share). The key is
 * read before the answer is made, so an answer is never older than its key (newer at worst, by a write that committed
 * in between: a reader who asks after that write reads the new number, and a new key).
 *
 * Signed-in readers' answers carry their own votes and follows: they are made for each request, never kept, and say
 * `private, no-store`. Anonymous answers say `public, no-cache` with an ETag made from the key, so browsers and CDNs
 * keep them and ask again each time; a matching `If-None-Match` is answered 304 from the key alone, before any answer
 * is made or looked up.
 */
@Injectable()
export class ReaderCache {
  private readonly cache: AnswerCache | null;
  /** The keys of essays asked for once and not kept (see worthKeeping): keys only, the most recent ones. */
  private readonly askedOnce = new LRUCache<string, true>({ max: ESSAYS_REMEMBERED });

  constructor(
    private readonly articles: ArticlesRepository,
    config: AppConfig,
  ) {
    this.cache = config.answerCacheBytes > 0 ? new AnswerCache(config.answerCacheBytes) : null;
  }

  /**
   * Answers `read` of the article `slug` (404 when there is none): for an anonymous viewer from the cache (or 304),
   * for anyone else as `make` gives it. `query`: the read's query, normalised (defaults filled in), for the key.
   */
  async answer(
    req: Request,
    res: Response,
    viewer: Viewer,
    read: { kind: CachedRead; slug: string; query: string },
    make: (article: ArticleReadKey) => Promise<object>,
  ): Promise<void> {
    const article = isArticleSlug(read.slug) ? await this.articles.findReadKey(read.slug) : null;
    if (!article) throw new DomainError(ErrorCode.ArticleNotFound, 'No such article.');
    res.setHeader('Vary', VARY);
    if (viewer.userId !== null) {
      const json = Buffer.from(JSON.stringify(await make(article)));
      res.setHeader('Cache-Control', PRIVATE_CACHE_CONTROL);
      // Bytes: a string given to res.json would be encoded twice, by compressAnswers and again by Express.
      res.setHeader('Content-Type', JSON_TYPE);
      res.send(json);
      return;
    }
    const key = `${ANSWER_FORMAT}:${read.kind}:${article.id}:${article.eventSeq}:${article.namesVersion}:${read.query}`;
    const etag = etagOf(key);
    const revalidated = matchesEtag(req.headers['if-none-match'], etag);
    // Made (or found) before the headers are set: a read that fails (a 400, a 404) is no answer to keep or revalidate.
    const answer = revalidated
      ? null
      : this.cache && this.worthKeeping(read.kind, key)
        ? await this.cache.answer(key, () => make(article))
        : unstoredAnswer(await make(article));
    res.setHeader('Cache-Control', PUBLIC_CACHE_CONTROL);
    res.setHeader('ETag', etag);
    if (!answer) {
      res.status(304).end();
      return;
    }
    await this.send(req, res, key, answer);
  }

  /**
   * Thread pages are kept at once: a reader of a thread reads its first page, and its readers come together. An essay
   * is kept once it is hot: the second time its current version is asked for (a crawler walking every essay once, or
   * one visitor to an old essay, pushes no thread out of the cache), each version a whole essay's weight.
   */
  private worthKeeping(kind: CachedRead, key: string): boolean {
    if (kind === 'thread' || this.askedOnce.has(key)) return true;
    this.askedOnce.set(key, true);
    return false;
  }

  /** The answer in the coding the client prefers (kept with it once made), or as it is when small. */
  private async send(req: Request, res: Response, key: string, answer: StoredAnswer): Promise<void> {
    res.setHeader('Content-Type', JSON_TYPE);
    const coding = answer.json.length >= COMPRESSION_THRESHOLD ? preferredCoding(req.headers['accept-encoding']) : null;
    if (!coding) {
      res.send(answer.json);
      return;
    }
    const body = this.cache ? await this.cache.encoded(key, answer, coding) : await encode(answer.json, coding, 'made');
    res.setHeader('Content-Encoding', coding);
    res.send(body);
  }
}

/** A weak ETag (the same answer in every coding): a digest of the key, which names no article or query in the clear. */
function etagOf(key: string): string {
  return `W/"${createHash('sha256').update(key).digest('base64url').slice(0, 32)}"`;
}

/** Whether If-None-Match names this ETag (compared weakly, as RFC 9110 says for If-None-Match), or is `*`. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === opaque;
  });
}

/** The OpenAPI description of a cached read: If-None-Match in, 304 out, and the headers of its 200. */
export function CachedForReaders(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'An ETag of an earlier anonymous answer: 304 while it is still current',
    }),
    ApiResponse({
      status: 304,
      description: 'Not Modified: the ETag given in If-None-Match is still current (anonymous readers; no body)',
    }),
  );
}

/** The headers of a cached read's 200, for its `@ApiOkResponse`. */
export const CACHED_READ_HEADERS = {
  ETag: {
    description: 'Anonymous readers: names this answer; send it back in If-None-Match',
    schema: { type: 'string' },
  },
  'Cache-Control': {
    description: `\`${PUBLIC_CACHE_CONTROL}\` for anonymous readers, \`${PRIVATE_CACHE_CONTROL}\` for signed-in ones`,
    schema: { type: 'string' },
  },
  Vary: { description: VARY, schema: { type: 'string' } },
};
