import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMarxistsArchive } from './marxists-archive.parser.js';
import {
  assertBlocksAreTidyAndVerbatim,
  blockStartingWith,
  contentsOf,
  readSeedDocument,
} from './parser-spec-helpers.js';

const source = readSeedDocument('003_cbfdfa432e988fe7.txt');

describe('parseMarxistsArchive', () => {
  const sut = parseMarxistsArchive(source);

  it('takes the author and joins work and chapter into the title', () => {
    assert.equal(sut.author, 'Victor Serge');
    assert.equal(sut.title, 'Year One of the Russian Revolution — II – The Counter-Revolutionary Socialists');
    assert.deepEqual(sut.tags, ['russian-revolution', 'victor-serge', 'history']);
    assert.deepEqual(sut.comments, []);
  });

  it('keeps the metadata block, unchanged, as the source and dates the text by "This Version"', () => {
    assert.equal(
      sut.source,
      [
        'Written: 1925–1928, Vienna, Leningrad, Dietskoye Seloe.',
        'First Published: L’An 1 de la révolution russe, 1930.',
        'This Version: New International, Vol. XIV No. 4, April 1948, p. 123–126.',
        'Translation: Dan Eastman.',
        'Transcription/Mark-up: Einde O’Callaghan for the Marxists’ Internet Archive.',
      ].join('\n'),
    );
    assert.equal(sut.publishedAt, '1948-04-01T00:00:00.000Z');
  });

  it('puts no header, metadata or footer line in the body', () => {
    const text = sut.blocks.map((block) => block.content).join('\n');
    for (const line of [
      'Written:',
      'First Published:',
      'This Version:',
      'Translation:',
      'Transcription',
      'Last updated on',
    ]) {
      assert.ok(!text.includes(line), line);
    }
    assert.ok(
      !sut.blocks.some((block) => ['Victor Serge', 'Year One of the Russian Revolution'].includes(block.content)),
    );
    assert.ok(sut.blocks[0].content.startsWith('Our second installment of Victor Serge’s history'));
  });

  it('finds the section headings, including the quoted one', () => {
    assert.deepEqual(contentsOf(sut, 'heading'), [
      'The Junkers’ Mutiny',
      'The Cossack Division Marches on Petrograd',
      'Counter-Revolutionary Socialism',
      '“Anything goes!”',
      'The Initiative of the Masses',
      'The Governmental Crisis',
      'Reliance on the Masses',
    ]);
  });

  it('keeps short sentences as paragraphs', () => {
    for (const sentence of [
      'Not one single army unit replied to this appeal.',
      'Twelve office boys and one official remained at the Ministry of Justice.',
      'The minority was summoned to submit or leave the party.',
    ]) {
      assert.deepEqual(blockStartingWith(sut, sentence), { kind: 'paragraph', content: sentence, format: 'plain' });
    }
  });

  it('makes quotes of the paragraphs that are entirely quotations', () => {
    const quotes = contentsOf(sut, 'quote');
    assert.equal(quotes.length, 16);
    assert.ok(quotes.every((quote) => quote.startsWith('“') && quote.endsWith('”')));
    assert.equal(
      blockStartingWith(sut, '“Resist this senseless adventure').content,
      '“Resist this senseless adventure of the Bolshevik Military Revolutionary Committee by force of arms. We call on ' +
        'all troops faithful to the revolution to come to the Nicholas Military Academy and join the Committee of Public Safety.”',
    );
    assert.equal(blockStartingWith(sut, '“There was nothing for us,” says Trotsky').kind, 'quote');
  });

  it('separates the editor’s remark from the quotation it follows', () => {
    const quoteAt = sut.blocks.findIndex((block) => block.content.startsWith('“In the early days,” said Dan'));
    assert.equal(sut.blocks[quoteAt].kind, 'quote');
    assert.ok(sut.blocks[quoteAt].content.endsWith('That is why we took a more conciliatory attitude.”'));
    assert.deepEqual(sut.blocks[quoteAt + 1], {
      kind: 'paragraph',
      content: '(Direct quotation from Dan!)',
      format: 'plain',
    });
  });

  it('keeps paragraphs that open or close with a quotation as paragraphs', () => {
    assert.equal(
      blockStartingWith(sut, '“We need miracles of proletarian organization.” The solution').kind,
      'paragraph',
    );
    assert.equal(blockStartingWith(sut, 'Shliapnikov shared this view').kind, 'paragraph');
  });

  it('keeps the text exactly as given, mis-encoded characters included', () => {
    assert.ok(
      blockStartingWith(sut, 'The cadets of the military schools').content.includes('a large gap in the fa├žade'),
    );
    assert.ok(sut.blocks.every((block) => block.format === 'plain'));
    assertBlocksAreTidyAndVerbatim(sut, source);
  });

  it('is a pure function of the text', () => {
    assert.deepEqual(parseMarxistsArchive(source), sut);
  });
});
