import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Article, ApiError } from './api.js';
import { blockChanges, changeOf, draftOf, errorsOf, impactOf, previewErrorOf } from './essay-form.js';

const refusal = (status: number, messages: string[]) =>
  new ApiError(status, 'validation_failed', messages.join(' '), null, messages);

describe('the essay edit form', () => {
  it('reads the essay into fields and sends them back as the PATCH the server expects', () => {
    const article = { title: 'T', author: 'A', tags: ['x', 'y'], canonicalUrl: null } as unknown as Article;
    const draft = draftOf(article, 'Body.\n');
    assert.deepEqual(draft, { title: 'T', author: 'A', tags: 'x, y', canonicalUrl: '', body: 'Body.\n' });
    assert.deepEqual(changeOf({ ...draft, tags: ' x ,, y,z ,', canonicalUrl: '  ' }), {
      title: 'T',
      author: 'A',
      tags: ['x', 'y', 'z'],
      canonicalUrl: null,
      body: 'Body.\n',
    });
    assert.equal(changeOf({ ...draft, canonicalUrl: 'https://example.com/a' }).canonicalUrl, 'https://example.com/a');
  });

  it('puts each validation sentence beside the field it names, and the rest above Save', () => {
    assert.deepEqual(
      errorsOf(
        refusal(400, [
          'canonicalUrl must be a URL address',
          'title must be longer than or equal to 1 characters',
          'each value in tags must be shorter than or equal to 40 characters',
          'property slug should not exist',
        ]),
      ),
      {
        fields: {
          canonicalUrl: 'canonicalUrl must be a URL address',
          title: 'title must be longer than or equal to 1 characters',
          tags: 'each value in tags must be shorter than or equal to 40 characters',
        },
        form: 'property slug should not exist',
      },
    );
    // A field's name inside another word names nothing ("bodyguard"); an answer that is no validation error names no field.
    assert.deepEqual(errorsOf(refusal(400, ['bodyguard is wrong'])), { fields: {}, form: 'bodyguard is wrong' });
    assert.deepEqual(errorsOf(refusal(403, ['title is not yours to change'])), {
      fields: {},
      form: 'title is not yours to change',
    });
    assert.deepEqual(errorsOf(new Error('boom')), { fields: {}, form: 'The essay could not be saved. Try again.' });
  });

  it('says what saving does to the quotes, each count agreeing with its verb, orphaned ones flagged', () => {
    assert.deepEqual(impactOf({ exact: 1, moved: 0, changed: 2, orphaned: 1 }), [
      { text: '1 quote stays exact', warn: false },
      { text: '0 move', warn: false },
      { text: '2 change', warn: false },
      { text: '1 becomes orphaned', warn: true },
    ]);
    assert.deepEqual(
      impactOf({ exact: 3, moved: 1, changed: 1, orphaned: 0 }).map((part) => [part.text, part.warn]),
      [
        ['3 quotes stay exact', false],
        ['1 moves', false],
        ['1 changes', false],
        ['0 become orphaned', false],
      ],
    );
  });

  it('says in a line why a draft has no preview, the text kept', () => {
    assert.equal(
      previewErrorOf(refusal(400, ['body has no text once thematic breaks and raw html are left out.'])),
      'No preview: body has no text once thematic breaks and raw html are left out.',
    );
    assert.match(previewErrorOf(new ApiError(429, 'rate_limited', 'Too many requests', 12)), /resumes in 12 s/);
    assert.match(previewErrorOf(new ApiError(0, 'network', 'unreachable', null)), /could not be loaded.*kept/);
    assert.match(previewErrorOf(new Error('boom')), /could not be loaded/);
  });

  it('names each previewed passage new, edited or unchanged by the ids the revision gives', () => {
    const saved = [
      { id: 'a', text: 'Kept as it was.' },
      { id: 'b', text: 'A typo hre.' },
      { id: 'c', text: 'Deleted.' },
    ];
    const previewed = [
      { id: 'b', text: 'A typo here.' },
      { id: 'a', text: 'Kept as it was.' },
      { id: 'd', text: 'Written now.' },
    ];
    assert.deepEqual(blockChanges(saved, previewed), ['edited', null, 'new']);
  });
});
