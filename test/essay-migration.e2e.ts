import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { EssayRevisions1764760000000 } from '../migrations/1764760000000-essay-revisions.js';
import { QuoteRevision1764763000000 } from '../migrations/1764763000000-quote-revision.js';
import { newTestDatabase } from './helpers/test-app.js';

/** The migrations up to (not including) the given one, or all of them, on the database. */
async function migrate(url: string, until?: unknown): Promise<DataSource> {
  const end = until === undefined ? MIGRATIONS.length : MIGRATIONS.indexOf(until as (typeof MIGRATIONS)[number]);
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: MIGRATIONS.slice(0, end),
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  return dataSource;
}

describe('migrating essays published before revisions', () => {
  let database: Awaited<ReturnType<typeof newTestDatabase>>;
  let db: DataSource;

  before(async () => {
    database = await newTestDatabase({ empty: true });
    const old = await migrate(database.url, EssayRevisions1764760000000);
    await old.query(
      `INSERT INTO users (id, username, username_key, display_name, role) VALUES (1, 'admin', 'admin', 'Admin', 'admin'),
         (2, 'reader', 'reader', 'Reader', 'reader')`,
    );
    await old.query(
      `INSERT INTO articles (id, slug, title, author, listed_at, excerpt, created_at)
       VALUES (1, 'old-essay', 'An old essay', 'A. Writer', now(), 'x', '2024-01-19T00:00:00Z')`,
    );
    await old.query(
      `INSERT INTO article_blocks (id, article_id, position, kind, text, html) VALUES
         ('b1', 1, 0, 'heading', 'The argument', '<h2>The argument</h2>'),
         ('b2', 1, 1, 'paragraph', 'Workers elected delegates in every factory, in every regiment.',
          '<p>Workers elected delegates in every factory, in every regiment.</p>')`,
    );
    await old.query(
      `INSERT INTO moderation_log (actor_id, action, article_id, details) VALUES (1, 'article.create', 1, '{}')`,
    );
    await old.query(
      `INSERT INTO comments (id, article_id, parent_id, path, depth, author_id, body, html, status, stance) VALUES
         (10, 1, NULL, '{10}', 0, 2, 'Yes', '<p>Yes</p>', 'visible', 'agree'),
         (11, 1, 10, '{10,11}', 1, 2, 'No', '<p>No</p>', 'visible', 'disagree')`,
    );
    await old.query(
      `INSERT INTO comment_quotes (comment_id, ordinal, source, block_id, text, verified) VALUES
         (10, 0, 'article', 'b2', 'in  every', true), (11, 0, 'article', 'b2', 'every regiment', true)`,
    );
    await old.destroy();
    // An essay revised once the revisions existed, with a comment on each side of its revision 2.
    const revised = await migrate(database.url, QuoteRevision1764763000000);
    await revised.query(
      `INSERT INTO articles (id, slug, title, author, listed_at, excerpt, created_at, revision)
       VALUES (2, 'revised-essay', 'A revised essay', 'A. Writer', now(), 'x', '2024-01-19T00:00:00Z', 2)`,
    );
    await revised.query(
      `INSERT INTO article_blocks (id, article_id, position, kind, text, html)
       VALUES ('c1', 2, 0, 'paragraph', 'Delegates were elected.', '<p>Delegates were elected.</p>')`,
    );
    await revised.query(
      `INSERT INTO article_revisions (article_id, revision, created_at, title, blocks) VALUES
         (2, 1, '2024-01-19T00:00:00Z', 'A revised essay', '[]'), (2, 2, '2024-02-01T00:00:00Z', 'A revised essay', '[]')`,
    );
    await revised.query(
      `INSERT INTO comments (id, article_id, parent_id, path, depth, author_id, body, html, status, created_at) VALUES
         (20, 2, NULL, '{20}', 0, 2, 'Before', '<p>Before</p>', 'visible', '2024-01-20T00:00:00Z'),
         (21, 2, NULL, '{21}', 0, 2, 'After', '<p>After</p>', 'visible', '2024-03-01T00:00:00Z')`,
    );
    await revised.query(
      `INSERT INTO comment_quotes (comment_id, ordinal, source, block_id, text, verified) VALUES
         (20, 0, 'article', 'c1', 'Delegates', true), (21, 0, 'article', 'c1', 'elected', true)`,
    );
    await revised.destroy();
    db = await migrate(database.url);
  });

  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('makes the present body revision 1, dated from the essay and by the admin who published it', async () => {
    const rows: { revision: number; byUserId: string; body: string | null; blocks: { id: string }[] }[] =
      await db.query(
        `SELECT revision, by_user_id AS "byUserId", body, blocks FROM article_revisions WHERE article_id = 1`,
      );
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0].revision, rows[0].byUserId, rows[0].body], [1, '1', null]);
    assert.deepEqual(
      rows[0].blocks.map((b) => b.id),
      ['b1', 'b2'],
    );
    const [article]: { revision: number; updatedAt: Date }[] = await db.query(
      `SELECT revision, updated_at AS "updatedAt" FROM articles WHERE id = 1`,
    );
    assert.deepEqual([article.revision, article.updatedAt.toISOString()], [1, '2024-01-19T00:00:00.000Z']);
  });

  it('gives every article quote its offsets and selector where its text first stands', async () => {
    const rows: { start: number; end: number; prefix: string; suffix: string; anchor: string }[] = await db.query(
      `SELECT start_offset AS start, end_offset AS "end", prefix, suffix, anchor FROM comment_quotes
        WHERE comment_id IN (10, 11) ORDER BY comment_id`,
    );
    assert.deepEqual(rows, [
      {
        start: 26,
        end: 34,
        prefix: 'Workers elected delegates ',
        suffix: ' factory, in every regiment.',
        anchor: 'exact',
      },
      {
        start: 47,
        end: 61,
        prefix: ' delegates in every factory, in ',
        suffix: '.',
        anchor: 'exact',
      },
    ]);
  });

  it('dates every article quote from the latest revision made before its comment (1 before any)', async () => {
    const rows: { commentId: string; revision: number }[] = await db.query(
      `SELECT comment_id AS "commentId", revision FROM comment_quotes WHERE source = 'article' ORDER BY comment_id`,
    );
    assert.deepEqual(
      rows.map((r) => [r.commentId, r.revision]),
      [
        ['10', 1],
        ['11', 1],
        ['20', 1],
        ['21', 2],
      ],
    );
  });

  it('counts the stances there were', async () => {
    const [article]: { agree: number; disagree: number }[] = await db.query(
      `SELECT stance_agree AS agree, stance_disagree AS disagree FROM articles WHERE id = 1`,
    );
    assert.deepEqual(article, { agree: 1, disagree: 0 }, 'a reply takes its stance towards its parent');
    const [block]: { agree: number; disagree: number }[] = await db.query(
      `SELECT stance_agree AS agree, stance_disagree AS disagree FROM article_blocks WHERE id = 'b2'`,
    );
    assert.deepEqual(block, { agree: 1, disagree: 1 });
  });
});
