import { type MigrationInterface, type QueryRunner } from 'typeorm';

const STANCES = ['agree', 'disagree', 'question', 'evidence'];

/**
 * Stances that add up: each essay counts its visible top-level comments by stance towards it, each block the visible
 * comments quoting it (anchored there, not orphaned) by stance, kept in the transaction of every change like
 * commentCount. The existing counts are computed from the comments.
 */
export class Stances1764761000000 implements MigrationInterface {
  name = 'Stances1764761000000';

  public async up(q: QueryRunner): Promise<void> {
    for (const table of ['articles', 'article_blocks']) {
      for (const stance of STANCES)
        await q.query(`ALTER TABLE "${table}" ADD "stance_${stance}" integer NOT NULL DEFAULT '0'`);
    }
    await q.query(
      `UPDATE articles a SET stance_agree = s.agree, stance_disagree = s.disagree, stance_question = s.question,
              stance_evidence = s.evidence
         FROM (SELECT article_id, count(*) FILTER (WHERE stance = 'agree')::int AS agree,
                      count(*) FILTER (WHERE stance = 'disagree')::int AS disagree,
                      count(*) FILTER (WHERE stance = 'question')::int AS question,
                      count(*) FILTER (WHERE stance = 'evidence')::int AS evidence
                 FROM comments WHERE status = 'visible' AND parent_id IS NULL AND stance IS NOT NULL
                GROUP BY article_id) s
        WHERE a.id = s.article_id`,
    );
    await q.query(
      `UPDATE article_blocks b SET stance_agree = s.agree, stance_disagree = s.disagree, stance_question = s.question,
              stance_evidence = s.evidence
         FROM (SELECT k.block_id, count(*) FILTER (WHERE k.stance = 'agree')::int AS agree,
                      count(*) FILTER (WHERE k.stance = 'disagree')::int AS disagree,
                      count(*) FILTER (WHERE k.stance = 'question')::int AS question,
                      count(*) FILTER (WHERE k.stance = 'evidence')::int AS evidence
                 FROM (SELECT DISTINCT q.block_id, c.id, c.stance FROM comment_quotes q JOIN comments c ON c.id = q.comment_id
                        WHERE c.status = 'visible' AND c.stance IS NOT NULL AND q.block_id IS NOT NULL
                          AND q.anchor <> 'orphaned') k
                GROUP BY k.block_id) s
        WHERE b.id = s.block_id`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ['article_blocks', 'articles']) {
      for (const stance of [...STANCES].reverse())
        await q.query(`ALTER TABLE "${table}" DROP COLUMN "stance_${stance}"`);
    }
  }
}
