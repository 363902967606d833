import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJekyllPost } from './jekyll-post.parser.js';
import {
  assertBlocksAreTidyAndVerbatim,
  blockStartingWith,
  contentsOf,
  readSeedDocument,
} from './parser-spec-helpers.js';

const source = readSeedDocument('000_1f1892ddb8fdfb52.txt');

describe('parseJekyllPost', () => {
  const sut = parseJekyllPost(source);

  it('reads title and categories from the front matter', () => {
    assert.equal(sut.title, 'Notes: Left Wing Communism by Lenin - Chapter 1');
    assert.deepEqual(sut.tags, ['politics', 'communism']);
  });

  it('credits the anonymous notes blog and invents no date, source or comments', () => {
    assert.equal(sut.author, 'Anonymous');
    assert.equal(sut.publishedAt, null);
    assert.equal(sut.source, null);
    assert.deepEqual(sut.comments, []);
  });

  it('keeps the order of notes and highlighted quotations', () => {
    assert.deepEqual(
      sut.blocks.map((block) => block.kind),
      [
        'paragraph',
        'paragraph',
        'paragraph',
        'quote',
        'paragraph',
        'quote',
        'paragraph',
        'paragraph',
        'paragraph',
        'quote',
        'paragraph',
        'paragraph',
        'quote',
        'paragraph',
      ],
    );
  });

  it('turns each red span into one plain quote without the straight quotes that wrap it', () => {
    const quotes = sut.blocks.filter((block) => block.kind === 'quote');
    assert.ok(quotes.every((quote) => quote.format === 'plain'));
    assert.equal(
      quotes[0].content,
      'I am speaking of it in the narrowest sense of the word, taking international significance to mean the ' +
        'international validity or the historical inevitability of a repetition, on an international scale, of ' +
        'what has taken place in our country. It must be admitted that certain fundamental features of our ' +
        'revolution do possess that significance.',
    );
    assert.ok(!quotes.some((quote) => quote.content.startsWith('"') || quote.content.endsWith('"')));
    assert.ok(!sut.blocks.some((block) => block.content.includes('span')));
  });

  it('joins a quotation that the source wraps over two lines and keeps its typographic quote marks', () => {
    const quote = blockStartingWith(sut, 'It would, of course, be grossly erroneous');
    assert.ok(
      quote.content.endsWith(
        'Russia will cease to be the model and will once again become a backward country (in the “Soviet” and the socialist sense).',
      ),
    );
    assert.ok(contentsOf(sut, 'quote')[3].startsWith('The “revolutionary” leaders of the Second International'));
    assert.ok(contentsOf(sut, 'quote')[2].includes('something — and something highly significant —'));
  });

  it('keeps the notes as Markdown paragraphs with their emphasis and links', () => {
    const paragraphs = sut.blocks.filter((block) => block.kind === 'paragraph');
    assert.ok(paragraphs.every((paragraph) => paragraph.format === 'markdown'));
    assert.ok(
      paragraphs[0].content.includes(
        '["Left-Wing" Communism: an Infantile Disorder](https://www.marxists.org/archive/lenin/works/1920/lwc/)',
      ),
    );
    assert.ok(
      blockStartingWith(sut, '**International significance** means _that thing(s)_ which').kind === 'paragraph',
    );
    assert.equal(
      paragraphs[paragraphs.length - 1].content,
      '_Social treachery_ is when you are a Socialist/Leftist but are a traitor to Leftism/Socialism.',
    );
  });

  it('leaves a note that only ends with a quotation as a paragraph, typos and all', () => {
    const note = blockStartingWith(sut, 'He also states that probably in the future');
    assert.equal(note.kind, 'paragraph');
    assert.ok(note.content.endsWith('"Russia will cease to be a model and once again become a backward country."'));
    assert.equal(blockStartingWith(sut, 'Ofcourse, there are only').kind, 'paragraph');
  });

  it('keeps every block tidy and word for word', () => {
    assertBlocksAreTidyAndVerbatim(sut, source);
  });

  it('is a pure function of the text', () => {
    assert.deepEqual(parseJekyllPost(source), sut);
  });
});
