import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMagazineArticle } from './magazine-article.parser.js';
import {
  assertBlocksAreTidyAndVerbatim,
  blockStartingWith,
  contentsOf,
  readSeedDocument,
} from './parser-spec-helpers.js';

const source = readSeedDocument('002_3caec7d13bd484a5.txt');

describe('parseMagazineArticle', () => {
  const sut = parseMagazineArticle(source);

  it('reads title, byline and date', () => {
    assert.equal(sut.title, 'Bolshevism vs. Stalinism');
    assert.equal(sut.author, 'Holly Quilty');
    assert.equal(sut.publishedAt, '2024-01-19T00:00:00.000Z');
    assert.deepEqual(sut.tags, ['bolshevism', 'stalinism', 'russian-revolution']);
    assert.deepEqual(sut.comments, []);
  });

  it('names the magazine issue the article was featured in as its source', () => {
    assert.equal(sut.source, 'Communist Revolution, Issue #1');
  });

  it('does not repeat the standfirst that the first paragraph repeats', () => {
    const opening = sut.blocks.filter((block) =>
      block.content.startsWith('One of the most common misconceptions about the Russian Revolution'),
    );
    assert.equal(opening.length, 1);
    assert.equal(sut.blocks[0], opening[0]);
    assert.ok(opening[0].content.endsWith('all the crimes that went with it. This argument takes different forms.'));
  });

  it('drops the share button, image credits, byline and subscription line', () => {
    const text = sut.blocks.map((block) => block.content).join('\n');
    for (const cruft of [
      'Share',
      'Public domain',
      'Gustav Klutsis',
      'Red Guard in Petrograd, 1917',
      'Molotov, Stalin and Voroshilov, 1937',
      'This article was featured',
      'subscribe',
      'Holly Quilty',
      'Jan 19, 2024',
    ]) {
      assert.ok(!text.includes(cruft), cruft);
    }
  });

  it('finds the section headings', () => {
    assert.deepEqual(contentsOf(sut, 'heading'), [
      'Tsarist Russia',
      'Bolshevism',
      'The Russian Revolution',
      'The Bolsheviks and the October Revolution',
      'The most democratic government in history',
      'Party democracy',
      'The civil war',
      'The world revolution',
      'The rise of the bureaucracy',
      'What about Stalin?',
      'The degeneration of the Comintern',
      'Socialism in one country',
      'Keeping Bolshevism alive',
    ]);
  });

  it('keeps questions, colon lines and the closing call as paragraphs', () => {
    for (const prefix of [
      'So if the Russian Revolution was so great, what happened? How did it end up in Stalinism?',
      'Just a few months later, this was changed:',
      'If you’re a communist, join us. Together we’ll change the world.',
    ]) {
      assert.equal(blockStartingWith(sut, prefix).kind, 'paragraph', prefix);
    }
  });

  it('makes one list of the bullet run, without the bullets', () => {
    const lists = contentsOf(sut, 'list');
    assert.equal(lists.length, 1);
    assert.deepEqual(lists[0].split('\n'), [
      'Free and democratic elections of all positions in the state,',
      'The right for any state official to be recalled by those who elected them,',
      'No official to be paid more than a skilled worker,',
      'Gradually, all the tasks of running society and the state to be performed by everyone in turn. As Lenin said: “Any cook should be able to be prime minister.”',
    ]);
  });

  it('makes quotes of the long quotations introduced by a colon', () => {
    assert.deepEqual(
      contentsOf(sut, 'quote').map((quote) => quote.slice(0, 40)),
      [
        'Regarded from the world-historical point',
        'The overthrow of the power of the bourge',
        'But the overthrow of the power of the bo',
      ],
    );
    assert.ok(contentsOf(sut, 'quote')[0].endsWith('if the German Revolution does not come, we are doomed.'));
  });

  it('keeps paragraphs with a quotation inside them as paragraphs', () => {
    assert.equal(blockStartingWith(sut, 'Thus in 1903, when security').kind, 'paragraph');
    assert.equal(blockStartingWith(sut, 'Lenin’s watchword was “patiently explain”.').kind, 'paragraph');
  });

  it('marks every block as plain text and keeps it tidy and word for word', () => {
    assert.ok(sut.blocks.every((block) => block.format === 'plain'));
    assertBlocksAreTidyAndVerbatim(sut, source);
    assert.ok(blockStartingWith(sut, 'This is just one example').content.includes('the Bolshevikhad a lively'));
  });

  it('is a pure function of the text', () => {
    assert.deepEqual(parseMagazineArticle(source), sut);
  });
});
