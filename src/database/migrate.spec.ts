import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrationSource } from './migrate.js';

describe('migrationSource', () => {
  it('writes a migration class whose up runs the changes and whose down undoes them, quotes kept intact', () => {
    const sut = migrationSource('AddNote1796000000000', {
      up: ['ALTER TABLE "t" ADD "note" text', `COMMENT ON COLUMN "t"."note" IS 'it''s'`],
      down: [`COMMENT ON COLUMN "t"."note" IS NULL`, 'ALTER TABLE "t" DROP COLUMN "note"'],
    });
    assert.match(
      sut,
      /export class AddNote1796000000000 implements MigrationInterface \{\n {2}name = 'AddNote1796000000000';/,
    );
    const up = sut.slice(sut.indexOf('public async up'), sut.indexOf('public async down'));
    const down = sut.slice(sut.indexOf('public async down'));
    assert.ok(up.includes(`await q.query(${JSON.stringify('ALTER TABLE "t" ADD "note" text')});`));
    assert.ok(up.includes(`await q.query(${JSON.stringify(`COMMENT ON COLUMN "t"."note" IS 'it''s'`)});`));
    assert.ok(down.indexOf('COMMENT ON COLUMN') < down.indexOf('DROP COLUMN'));
  });
});
