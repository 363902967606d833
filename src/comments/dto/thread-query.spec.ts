import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { AppValidationPipe, plainQueryReaderOf } from '../../common/plain-query.js';
import { ThreadQueryDto } from './thread-query.dto.js';

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, transform: true };
const METADATA: ArgumentMetadata = { type: 'query', metatype: ThreadQueryDto, data: undefined };
const full = new ValidationPipe(OPTIONS);
const app = new AppValidationPipe(OPTIONS);
const reader = plainQueryReaderOf(ThreadQueryDto);

/** A query as Express's simple parser leaves it: no prototype, strings or arrays of them. */
function query(fields: Record<string, string | string[]>): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, fields);
}

/** What a pipe makes of a query: the DTO, or the 400's answer. */
async function outcome(pipe: ValidationPipe, q: Record<string, unknown>): Promise<unknown> {
  try {
    const value = (await pipe.transform(q, METADATA)) as object;
    return { value: { ...value }, type: value.constructor };
  } catch (error) {
    return { refused: (error as { getResponse(): unknown }).getResponse() };
  }
}

const PLAIN: Record<string, string>[] = [
  {},
  { limit: '50', depth: '3' },
  { sort: 'new', depth: '0', replyLimit: '0', limit: '1' },
  { sort: 'controversial', depth: '10', replyLimit: '100', limit: '100' },
  { cursor: 'abc.DEF_12-3', blockId: 'p-12_a', stance: 'evidence', featured: 'false' },
  { featured: 'true', stance: 'agree', sort: 'old' },
];

const OTHERS: Record<string, string | string[]>[] = [
  { limit: '0' },
  { limit: '101' },
  { limit: '050' },
  { limit: '5e1' },
  { limit: ' 50' },
  { limit: '-1' },
  { limit: '' },
  { limit: '50.0' },
  { limit: '1000000000' },
  { depth: '11' },
  { replyLimit: '101' },
  { sort: 'hot' },
  { sort: ['new', 'old'] },
  { limit: ['10', '20'] },
  { cursor: '' },
  { cursor: 'a'.repeat(513) },
  { cursor: 'a b' },
  { blockId: 'a'.repeat(33) },
  { blockId: 'a.b' },
  { stance: 'AGREE' },
  { featured: 'yes' },
  { limit: '20', extra: '1' },
  { ['__proto__']: '1' },
  { constructor: 'x' },
];

describe('the thread query read plainly', () => {
  it('reads the plainly valid queries without the full validation', () => {
    assert.ok(reader, 'ThreadQueryDto has a reader');
    for (const fields of PLAIN) assert.ok(reader(query(fields)), JSON.stringify(fields));
  });

  it('leaves every other query to the full validation', () => {
    assert.ok(reader);
    for (const fields of OTHERS) assert.equal(reader(query(fields)), null, JSON.stringify(fields));
  });

  it('gives what the full validation gives, the same DTO or the same 400, for every query', async () => {
    for (const fields of [...PLAIN, ...OTHERS]) {
      assert.deepEqual(await outcome(app, query(fields)), await outcome(full, query(fields)), JSON.stringify(fields));
    }
  });
});
