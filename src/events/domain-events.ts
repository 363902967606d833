/**
 * The forum's domain events: what happened, said by the domain where it happened, never who is to hear of it.
 *
 * Two maps, both filled in by the domains themselves: each domain declares the events it records in its own
 * `<domain>.events.ts` by adding keys to these interfaces (TypeScript declaration merging), so this layer, which sits
 * below every domain, imports none of them, and the compiler still checks every `record` and every listener.
 *
 * - {@link ArticleEvents}: an article's public history, what its readers saw happen (a comment appeared, was edited,
 *   removed, voted on; the discussion's settings changed). Recorded with `recordForArticle`, numbered in the write's
 *   own transaction (`seq`, exactly +1 per article) and kept in the article's event log, which catch-up replays. Their
 *   names and payloads are the live room events of docs/live-protocol.md: a payload holds only what any reader of the
 *   article may see.
 * - {@link DomainEvents}: every other fact (a comment held for review, a comment readers can now see answering
 *   someone, a ban, a session that ended). Recorded with `record`, not numbered, not kept: listeners hear of them once.
 *
 * Both reach listeners only after the transaction that recorded them commits, and never if it rolls back.
 */

/* eslint-disable @typescript-eslint/no-empty-object-type -- filled in by the domains (declaration merging). */
export interface ArticleEvents {}
export interface DomainEvents {}
/* eslint-enable @typescript-eslint/no-empty-object-type */

export type ArticleEventType = keyof ArticleEvents;
export type DomainEventType = keyof DomainEvents;

/** An article event as a domain records it: its type and payload. */
export type ArticleEvent<T extends ArticleEventType = ArticleEventType> = {
  [K in T]: { type: K; payload: ArticleEvents[K] };
}[T];

/** A domain event as a domain records it. */
export type DomainEvent<T extends DomainEventType = DomainEventType> = {
  [K in T]: { type: K; payload: DomainEvents[K] };
}[T];

/** An article event after commit: numbered, with its article and the time it was logged (ISO-8601, UTC, ms). */
export type NumberedArticleEvent<T extends ArticleEventType = ArticleEventType> = ArticleEvent<T> & {
  articleId: string;
  seq: number;
  at: string;
};
