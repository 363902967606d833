import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArticleIds } from './article-ids.js';
import { type ArticlesRepository } from './articles.repository.js';

/** The lookup with a repository whose essays are `published` (slug → id); every query counted. */
function setUp(published: Map<string, string>) {
  const queries: string[] = [];
  const repository = {
    findIdBySlug: (slug: string) => {
      queries.push(slug);
      return Promise.resolve(published.get(slug) ?? null);
    },
  };
  return { sut: new ArticleIds(repository as unknown as ArticlesRepository), queries };
}

describe('ArticleIds', () => {
  it('asks the database once per slug found, then answers from memory', async () => {
    const { sut, queries } = setUp(new Map([['an-essay', '17']]));

    assert.equal(await sut.of('an-essay'), '17');
    assert.equal(await sut.of('an-essay'), '17');

    assert.deepEqual(queries, ['an-essay']);
  });

  it('asks again for a slug it did not find, which an essay published later may take', async () => {
    const published = new Map<string, string>();
    const { sut, queries } = setUp(published);

    assert.equal(await sut.of('later'), null);
    published.set('later', '42');
    assert.equal(await sut.of('later'), '42');

    assert.deepEqual(queries, ['later', 'later']);
  });
});
