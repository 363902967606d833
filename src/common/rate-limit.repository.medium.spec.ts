import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { newTestDatabase } from '../../test/helpers/test-app.js';
import { DatabaseModule } from '../database/database.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { RateLimitRepository } from './rate-limit/rate-limit.repository.js';

const MINUTE = 60_000;

describe('RateLimitRepository (on the real database)', () => {
  let context: INestApplicationContext;
  let drop: () => Promise<void>;
  let sut: RateLimitRepository;

  before(async () => {
    const database = await newTestDatabase();
    drop = () => database.drop();
    @Module({ imports: [DatabaseModule.forRoot(database.url), RateLimitModule] })
    class SpecModule {}
    context = await NestFactory.createApplicationContext(SpecModule, { logger: false });
    sut = context.get(RateLimitRepository);
  });

  after(async () => {
    await context?.close();
    await drop?.();
  });

  it('counts several keys in order in one statement, and none after the first that is blocked', async () => {
    const hits = (limits: [string, number][]) =>
      sut.hitInOrder(limits.map(([key, limit]) => ({ key, windowMs: MINUTE, limit, blockMs: MINUTE })));
    const first = await hits([
      ['spec:address', 2],
      ['spec:user', 5],
    ]);
    assert.deepEqual(
      first.map((count) => count?.hits),
      [1, 1],
    );
    assert.ok(first.every((count) => count && count.blockedLeftMs === 0 && count.windowLeftMs > 0));
    await hits([
      ['spec:address', 2],
      ['spec:user', 5],
    ]);
    // The address's third hit is over its limit of 2: it blocks the address, and the user's hit is not counted.
    const third = await hits([
      ['spec:address', 2],
      ['spec:user', 5],
    ]);
    assert.equal(third[0]?.hits, 3);
    assert.ok((third[0]?.blockedLeftMs ?? 0) > 0);
    assert.equal(third[1], null);
    const fourth = await hits([
      ['spec:address', 2],
      ['spec:user', 5],
    ]);
    assert.equal(fourth[0]?.hits, 3, 'a blocked key counts no more hits');
    assert.equal(fourth[1], null);
    const [user] = await hits([['spec:user', 5]]);
    assert.equal(user?.hits, 3, 'the user was counted on the first two requests only');
  });

  it('counts one key with hit() as before: a block once over the limit, for the block time', async () => {
    assert.equal((await sut.hit('spec:one', MINUTE, 1, 5 * MINUTE)).hits, 1);
    const blocked = await sut.hit('spec:one', MINUTE, 1, 5 * MINUTE);
    assert.ok(blocked.blockedLeftMs > MINUTE, `blocked for the block time, not the window: ${blocked.blockedLeftMs}`);
  });
});
