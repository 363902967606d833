import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeBlockStart, parseScrapedArticle } from './scraped-article.parser.js';
import {
  assertBlocksAreTidyAndVerbatim,
  blockStartingWith,
  contentsOf,
  readSeedDocument,
} from './parser-spec-helpers.js';

const source = readSeedDocument('001_1a34b0c5bb713a52.txt');

/** The source text of each numbered comment, number prefix removed, as a list of words (bullets dropped). */
function sourceCommentWords(): string[][] {
  const thread = source.slice(source.indexOf('thoughts on “'), source.indexOf('Leave a Reply'));
  return thread
    .split(/^ {2}\d+\. /m)
    .slice(1)
    .map((text) => text.split(/\s+/).filter((word) => word !== '' && word !== '•'));
}

/** The words a reader sees in a Markdown comment body: markers and escapes removed. */
function bodyWords(body: string): string[] {
  return body
    .replace(/^(> |- )/gm, '')
    .replace(/\\/g, '')
    .split(/\s+/)
    .filter((word) => word !== '');
}

describe('parseScrapedArticle', () => {
  const sut = parseScrapedArticle(source);

  describe('article', () => {
    it('takes the title from the first line and the author from "About the author", title-cased', () => {
      assert.equal(sut.title, 'Why anti-socialists talk about Lenin even more than socialists');
      assert.equal(sut.author, 'Ramin Mazaheri');
      assert.deepEqual(sut.tags, ['russian-revolution', 'lenin', 'history']);
      assert.equal(sut.publishedAt, null);
      assert.equal(sut.source, null);
    });

    it('finds the four section headings, including the one with a question mark inside', () => {
      assert.deepEqual(contentsOf(sut, 'heading'), [
        'So what made Lenin great? He served, not led',
        'Lenin did not even lead his own Party in October, much less give orders to the Russian People',
        'The media’s role in capitalism is to obscure the role of the people',
        'Thanks to new scholarship on socialism, we can expand our understanding of the 99%’s power',
      ]);
    });

    it('does not take short or parenthesised sentences for headings', () => {
      for (const prefix of [
        'Indeed, Lenin provided no epiphany.',
        '(This is the fourth part in a 5-part series',
        'Maybe Trotsky means that Lenin summoned his political peers?',
        'This is the fourth part in a 5-part series on the 1917 Russian Revolution',
      ]) {
        assert.equal(blockStartingWith(sut, prefix).kind, 'paragraph', prefix);
      }
    });

    it('makes quotes of the paragraphs that are entirely quotations', () => {
      const quotes = contentsOf(sut, 'quote');
      assert.deepEqual(
        quotes.map((quote) => quote.slice(0, 30)),
        [
          'And the supreme question: woul',
          '“We must say frankly,” wrote M',
          '“To the reformists, Lenin soun',
          '“But it (the Bolshevik Party) ',
          '“Quite simply, if Russia in 19',
          '“It amounted to a national ref',
        ],
      );
      assert.ok(quotes[0].endsWith('or would they take the Lord’s land and plow that too?”'));
    });

    it('separates the writer’s parenthetical remark from the quotation it follows', () => {
      const quoteAt = sut.blocks.findIndex((block) => block.content.startsWith('“But it (the Bolshevik Party)'));
      assert.ok(sut.blocks[quoteAt].content.endsWith('with military style discipline by the lower echelons.”'));
      assert.deepEqual(sut.blocks[quoteAt + 1], {
        kind: 'paragraph',
        content:
          '(Indeed, what has just been described is a capitalist structure – this is socialism, so don’t be absurd, MSM.)',
        format: 'plain',
      });
    });

    it('leaves paragraphs that only contain a quotation as paragraphs', () => {
      for (const prefix of [
        'From Trotsky, discussing Lenin’s',
        '“Some are born great',
        'Trotsky: “The peasantry',
        'To anyone who says,',
      ]) {
        assert.equal(blockStartingWith(sut, prefix).kind, 'paragraph', prefix);
      }
    });

    it('gathers the series titles into one list after the paragraph announcing them', () => {
      const listAt = sut.blocks.findIndex((block) => block.kind === 'list');
      assert.equal(contentsOf(sut, 'list').length, 1);
      assert.ok(sut.blocks[listAt - 1].content.startsWith('Here is the list of articles slated to be published'));
      assert.equal(sut.blocks[listAt - 1].kind, 'paragraph');
      assert.deepEqual(sut.blocks[listAt].content.split('\n'), [
        'A People’s History of the Russian Revolution pits new scholarship vs. Mainstream Media',
        'Who was not responsible for the Russian Revolution, and who was?',
        'The fascinating People’s account of how the Russian Revolution was won at street level',
        'Why anti-socialists talk about Lenin even more than socialists',
        'Iran’s 1979 Revolution picked up the People’s torch first lit in 1917 Russia',
      ]);
      assert.equal(listAt, sut.blocks.length - 1);
    });

    it('drops the page furniture and the author box', () => {
      const text = sut.blocks.map((block) => block.content).join('\n');
      for (const cruft of [
        'horiz-long grey',
        'Creative Commons',
        'Share widely',
        '• 8',
        'thoughts on',
        'Leave a Reply',
        'About the author',
        'RAMIN MAZAHERI',
        'Senior Correspondent',
      ]) {
        assert.ok(!text.includes(cruft), cruft);
      }
    });

    it('does not repeat the paragraph that the author blurb quotes again', () => {
      const repeated = sut.blocks.filter((block) => block.content.includes('The great thing about the internet today'));
      assert.equal(repeated.length, 1);
      assert.ok(repeated[0].content.startsWith('The great thing about the internet today'));
    });

    it('marks every article block as plain text', () => {
      assert.ok(sut.blocks.every((block) => block.format === 'plain'));
    });

    it('keeps every block tidy and word for word', () => {
      assertBlocksAreTidyAndVerbatim(sut, source);
    });
  });

  describe('comments', () => {
    it('reads the eight numbered comments in order', () => {
      assert.deepEqual(
        sut.comments.map((comment) => comment.number),
        [1, 2, 3, 4, 5, 6, 7, 8],
      );
    });

    it('takes authors from signatures, from how later comments address them, and from "my article"', () => {
      assert.deepEqual(
        sut.comments.map((comment) => comment.author),
        ['Stewart', 'D.W. Jenkins', null, null, 'Rochat', 'M. Thorez', null, 'Ramin Mazaheri'],
      );
    });

    it('links a comment that addresses an earlier commenter, but not one that addresses the article’s author', () => {
      assert.deepEqual(
        sut.comments.map((comment) => comment.replyTo),
        [null, 1, null, null, null, 5, null, null],
      );
    });

    it('recognises the article’s author by "my article"', () => {
      assert.deepEqual(
        sut.comments.map((comment) => comment.byArticleAuthor),
        [false, false, false, false, false, false, false, true],
      );
    });

    it('keeps comment 1’s title line as its first paragraph and its whole-line quotations as blockquotes', () => {
      const body = sut.comments[0].body;
      assert.ok(body.startsWith('Ramin Mazaheri on Lenin as civil servant\n\nThis fine article by Ramin Mazaheri'));
      assert.ok(body.includes('\n\n> “If it had not been Lenin there would have been someone else'));
      assert.ok(body.includes('\n\n> “… the peasants were in total revolt'));
      assert.ok(body.includes('\n\nYet we know that also the Left concurs that, “Trotsky’s idea'));
    });

    it('turns bullets into one Markdown list and removes the signature line', () => {
      const body = sut.comments[1].body;
      assert.ok(body.includes('we must accept that:\n\n- an amorphous and semi-politically conscious'));
      assert.ok(body.includes('against a supremely well entrenched enemy.\n\nBy embracing these positions'));
      assert.ok(body.includes(';\n- that cogent, well structured knowledge'));
      assert.ok(body.endsWith('I think some call this the theory of immanent leadesrship.'));
      assert.ok(sut.comments[5].body.endsWith('Please share your knowledge on this important field.\n\nThank you.'));
    });

    it('keeps every word of every comment, in order (the signature only moves to the author)', () => {
      const expected = sourceCommentWords();
      assert.equal(expected.length, sut.comments.length);
      sut.comments.forEach((comment, index) => {
        const words = bodyWords(comment.body);
        assert.deepEqual(expected[index].slice(0, words.length), words, `comment ${comment.number}`);
        const rest = expected[index].slice(words.length).join(' ');
        assert.ok(rest === '' || rest === comment.author, `comment ${comment.number} lost: ${rest}`);
      });
    });

    it('applies the reply rule generally, skipping commenters with another name', () => {
      const text = [
        'An article',
        '',
        'Some text.',
        '',
        'About the author',
        ' JANE DOE, Columnist • Jane writes.',
        '',
        '3 thoughts on “An article',
        '',
        '  1. I liked it.',
        '',
        '  2. I did not.',
        '',
        '    Bob Jones',
        '',
        '  3. As M Doe, I thank Mr Smith for reading my article.',
        '',
        'Leave a Reply',
      ].join('\n');
      const comments = parseScrapedArticle(text).comments;
      assert.deepEqual(
        comments.map(({ author, replyTo }) => ({ author, replyTo })),
        [
          { author: 'Smith', replyTo: null },
          { author: 'Bob Jones', replyTo: null },
          { author: 'Jane Doe', replyTo: 1 },
        ],
      );
    });
  });

  describe('escapeBlockStart', () => {
    it('escapes only what Markdown would read as block syntax', () => {
      assert.equal(escapeBlockStart('1917. It began'), '1917\\. It began');
      assert.equal(escapeBlockStart('# not a heading'), '\\# not a heading');
      assert.equal(escapeBlockStart('- not a list'), '\\- not a list');
      assert.equal(escapeBlockStart('> not a quote'), '\\> not a quote');
      assert.equal(escapeBlockStart('1917 was a year'), '1917 was a year');
      assert.equal(escapeBlockStart('Plain *text* stays'), 'Plain *text* stays');
    });
  });

  it('is a pure function of the text', () => {
    assert.deepEqual(parseScrapedArticle(source), sut);
  });
});
