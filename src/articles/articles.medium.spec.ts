import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type MediumContext, startMediumContext } from '../../test/helpers/medium.js';
import { Fixtures } from '../../test/helpers/fixtures.js';
import { ANONYMOUS, type Viewer } from '../auth/viewer.js';
import { DomainError, ErrorCode } from '../common/errors/domain-error.js';
import { ArticlesService } from './articles.service.js';

function hasCode(code: ErrorCode): (error: unknown) => boolean {
  return (error) => error instanceof DomainError && error.code === code;
}

/** Publishing essays and their settings: ArticlesService with its real repositories on PostgreSQL, no HTTP. */
describe('articles (service and repositories on the real database)', () => {
  let context: MediumContext;
  let fx: Fixtures;
  let sut: ArticlesService;
  let admin: Viewer;
  let moderator: Viewer;
  let reader: Viewer;

  before(async () => {
    context = await startMediumContext();
    fx = new Fixtures(context.app);
    sut = context.app.get(ArticlesService);
    // Roles are what a session gives a viewer; the accounts exist so that the moderation log can name them.
    admin = { userId: (await fx.newUser()).id, role: 'admin', ban: null };
    moderator = { userId: (await fx.newUser()).id, role: 'moderator', ban: null };
    reader = { userId: (await fx.newUser()).id, role: 'reader', ban: null };
  });

  after(() => context.close());

  it('publishes an essay from Markdown, readable at once with its blocks and default settings', async () => {
    const created = await sut.create(
      {
        title: 'On Reading Slowly',
        body: '# A heading\n\nThe first paragraph.\n\nThe second one.',
        author: 'A. Writer',
        tags: ['reading'],
      },
      admin,
    );
    assert.equal(created.slug, 'on-reading-slowly');
    assert.deepEqual(created.settings, { locked: false, premoderation: false, slowModeSeconds: 0 });
    assert.deepEqual(
      created.blocks.map((b) => b.text),
      ['A heading', 'The first paragraph.', 'The second one.'],
    );
    assert.deepEqual(await sut.get(created.slug), created);
    assert.equal((await sut.list(1)).items[0].id, created.id, 'listed first');
  });

  it('numbers the slug of a title already taken, also when the essays are published at the same moment', async () => {
    const input = { title: 'Same Title Twice', body: 'A paragraph.', author: 'A. Writer' };
    const first = await sut.create(input, admin);
    const together = await Promise.all([sut.create(input, admin), sut.create(input, admin), sut.create(input, admin)]);
    assert.equal(first.slug, 'same-title-twice');
    assert.deepEqual(together.map((a) => a.slug).sort(), [
      'same-title-twice-2',
      'same-title-twice-3',
      'same-title-twice-4',
    ]);
  });

  it('lets only admins publish', async () => {
    const input = { title: 'Not Yours To Publish', body: 'A paragraph.', author: 'A. Writer' };
    await assert.rejects(sut.create(input, moderator), hasCode(ErrorCode.Forbidden));
    await assert.rejects(sut.create(input, ANONYMOUS), hasCode(ErrorCode.Unauthenticated));
  });

  it('changes only the settings given, keeps them, and lets only moderators change them', async () => {
    const article = await fx.newArticle();
    assert.deepEqual(await sut.updateSettings(article.slug, { locked: true }, moderator), {
      locked: true,
      premoderation: false,
      slowModeSeconds: 0,
    });
    assert.deepEqual(await sut.updateSettings(article.slug, { slowModeSeconds: 30 }, admin), {
      locked: true,
      premoderation: false,
      slowModeSeconds: 30,
    });
    assert.deepEqual((await sut.get(article.slug)).settings, {
      locked: true,
      premoderation: false,
      slowModeSeconds: 30,
    });
    await assert.rejects(sut.updateSettings(article.slug, { locked: false }, reader), hasCode(ErrorCode.Forbidden));
    await assert.rejects(sut.updateSettings(article.slug, {}, moderator), hasCode(ErrorCode.ValidationFailed));
    await assert.rejects(
      sut.updateSettings('no-such-essay', { locked: false }, moderator),
      hasCode(ErrorCode.ArticleNotFound),
    );
    assert.equal((await sut.get(article.slug)).settings.locked, true, 'the refused changes changed nothing');
  });
});
