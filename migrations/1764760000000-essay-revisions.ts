import { type MigrationInterface, type QueryRunner } from 'typeorm';

const ACTIONS_BEFORE = `'comment.approve', 'comment.remove', 'comment.restore', 'user.ban', 'user.unban', 'user.role', 'banned-words.update', 'article.settings', 'article.create', 'account.password-change', 'account.password-reset', 'account.email-change'`;

/**
 * Essays are revised: each article gets a revision number, an update time and a canonical URL; article_revisions
 * keeps every revision of the body (append-only: a trigger refuses changes and deletions, but for the cascades of an
 * article or an author going); article quotes get a text-quote selector (32 characters before and after), their
 * offsets in the block and how the latest revision left them. A quote's block_id loses its foreign key: an orphaned
 * quote names a block that a revision took out. The moderation log learns `article.revise`.
 *
 * Existing data: every article's present body becomes its revision 1 (dated from its creation, by the admin who
 * published it when the log says so; the Markdown is left null and derived from the blocks on demand), and every
 * article quote gets its offsets and selector from where its text first stands in its block (anchor `exact`).
 */
export class EssayRevisions1764760000000 implements MigrationInterface {
  name = 'EssayRevisions1764760000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "comment_quotes" DROP CONSTRAINT "FK_a477e0b4ea3851a36a09c1a7b80"`);
    await q.query(
      `CREATE TABLE "article_revisions" ("article_id" bigint NOT NULL, "revision" integer NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "by_user_id" bigint, "title" text NOT NULL, "body" text, "blocks" jsonb NOT NULL, CONSTRAINT "PK_3773578625fcc929140e5a361b6" PRIMARY KEY ("article_id", "revision"))`,
    );
    await q.query(`ALTER TABLE "articles" ADD "revision" integer NOT NULL DEFAULT '1'`);
    await q.query(`ALTER TABLE "articles" ADD "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now()`);
    await q.query(`ALTER TABLE "articles" ADD "canonical_url" character varying(2000)`);
    await q.query(`ALTER TABLE "comment_quotes" ADD "prefix" text`);
    await q.query(`ALTER TABLE "comment_quotes" ADD "suffix" text`);
    await q.query(`ALTER TABLE "comment_quotes" ADD "start_offset" integer`);
    await q.query(`ALTER TABLE "comment_quotes" ADD "end_offset" integer`);
    await q.query(`ALTER TABLE "comment_quotes" ADD "anchor" character varying(16) NOT NULL DEFAULT 'exact'`);
    await q.query(`ALTER TABLE "comment_quotes" ADD "current_text" text`);
    await q.query(
      `ALTER TABLE "comment_quotes" ADD CONSTRAINT "comment_quotes_anchor_check" CHECK ("anchor" IN ('exact', 'moved', 'changed', 'orphaned'))`,
    );
    await q.query(
      `ALTER TABLE "article_revisions" ADD CONSTRAINT "FK_d710c0a22d74814285c06f8994d" FOREIGN KEY ("article_id") REFERENCES "articles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "article_revisions" ADD CONSTRAINT "FK_b609a0b3b922afcc9c8e17e77ee" FOREIGN KEY ("by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await q.query(`ALTER TABLE "moderation_log" DROP CONSTRAINT "moderation_log_action_check"`);
    await q.query(
      `ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_action_check" CHECK ("action" IN (${ACTIONS_BEFORE}, 'article.revise'))`,
    );
    // A row changes or goes only through a cascade (its article deleted, its author's account gone): the cascade's
    // own trigger runs first, so the depth is 2 there and 1 for a statement aimed at the table itself.
    await q.query(`CREATE FUNCTION article_revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF pg_trigger_depth() < 2 THEN
          RAISE EXCEPTION 'article_revisions is append-only' USING ERRCODE = 'raise_exception';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER article_revisions_append_only BEFORE UPDATE OR DELETE ON article_revisions
         FOR EACH ROW EXECUTE FUNCTION article_revisions_append_only()`,
    );

    await q.query(`UPDATE articles SET updated_at = created_at`);
    await q.query(
      `INSERT INTO article_revisions (article_id, revision, created_at, by_user_id, title, body, blocks)
       SELECT a.id, 1, a.created_at,
              (SELECT l.actor_id FROM moderation_log l WHERE l.article_id = a.id AND l.action = 'article.create'
                ORDER BY l.id LIMIT 1),
              a.title, NULL,
              coalesce((SELECT jsonb_agg(jsonb_build_object('id', b.id, 'kind', b.kind, 'text', b.text, 'html', b.html)
                                         ORDER BY b.position)
                          FROM article_blocks b WHERE b.article_id = a.id), '[]'::jsonb)
         FROM articles a`,
    );

    const quotes = (await q.query(
      `SELECT q.id, q.text, b.text AS "blockText" FROM comment_quotes q JOIN article_blocks b ON b.id = q.block_id
        WHERE q.source = 'article'`,
    )) as { id: string; text: string; blockText: string }[];
    const located = quotes.flatMap((quote) => {
      const span = firstOccurrence(quote.blockText, quote.text);
      if (!span) return [];
      return [
        {
          id: quote.id,
          start: span.start,
          end: span.end,
          prefix: quote.blockText.slice(Math.max(0, span.start - 32), span.start),
          suffix: quote.blockText.slice(span.end, span.end + 32),
        },
      ];
    });
    for (let from = 0; from < located.length; from += 5_000) {
      const batch = located.slice(from, from + 5_000);
      await q.query(
        `UPDATE comment_quotes q SET start_offset = s.start, end_offset = s."end", prefix = s.prefix, suffix = s.suffix
           FROM unnest($1::bigint[], $2::int[], $3::int[], $4::text[], $5::text[]) AS s(id, start, "end", prefix, suffix)
          WHERE q.id = s.id`,
        [
          batch.map((l) => l.id),
          batch.map((l) => l.start),
          batch.map((l) => l.end),
          batch.map((l) => l.prefix),
          batch.map((l) => l.suffix),
        ],
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER article_revisions_append_only ON article_revisions`);
    await q.query(`DROP FUNCTION article_revisions_append_only()`);
    // Fails while the log holds `article.revise` entries (the log is append-only).
    await q.query(`ALTER TABLE "moderation_log" DROP CONSTRAINT "moderation_log_action_check"`);
    await q.query(
      `ALTER TABLE "moderation_log" ADD CONSTRAINT "moderation_log_action_check" CHECK ("action" IN (${ACTIONS_BEFORE}))`,
    );
    await q.query(`ALTER TABLE "article_revisions" DROP CONSTRAINT "FK_b609a0b3b922afcc9c8e17e77ee"`);
    await q.query(`ALTER TABLE "article_revisions" DROP CONSTRAINT "FK_d710c0a22d74814285c06f8994d"`);
    await q.query(`ALTER TABLE "comment_quotes" DROP CONSTRAINT "comment_quotes_anchor_check"`);
    await q.query(`ALTER TABLE "comment_quotes" DROP COLUMN "current_text"`);
    await q.query(`ALTER TABLE "comment_quotes" DROP COLUMN "anchor"`);
    await q.query(`ALTER TABLE "comment_quotes" DROP COLUMN "end_offset"`);
    await q.query(`ALTER TABLE "comment_quotes" DROP COLUMN "start_offset"`);
    await q.query(`ALTER TABLE "comment_quotes" DROP COLUMN "suffix"`);
    await q.query(`ALTER TABLE "comment_quotes" DROP COLUMN "prefix"`);
    await q.query(`ALTER TABLE "articles" DROP COLUMN "canonical_url"`);
    await q.query(`ALTER TABLE "articles" DROP COLUMN "updated_at"`);
    await q.query(`ALTER TABLE "articles" DROP COLUMN "revision"`);
    await q.query(`DROP TABLE "article_revisions"`);
    // Quotes whose block is gone (orphaned by a revision) are deleted, as the restored cascade would have done.
    await q.query(
      `DELETE FROM comment_quotes q WHERE q.block_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM article_blocks b WHERE b.id = q.block_id)`,
    );
    await q.query(
      `ALTER TABLE "comment_quotes" ADD CONSTRAINT "FK_a477e0b4ea3851a36a09c1a7b80" FOREIGN KEY ("block_id") REFERENCES "article_blocks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }
}

/**
 * Where `quote` first stands in `text`, runs of white space matching any run (the rule quotes are verified by), in
 * UTF-16 offsets of `text`. Frozen here with the migration; the app's own rule is src/comments/quote-anchoring.ts.
 */
function firstOccurrence(text: string, quote: string): { start: number; end: number } | null {
  const words = quote.trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return null;
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'), 'u');
  const match = pattern.exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : null;
}
