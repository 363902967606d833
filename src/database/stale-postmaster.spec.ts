import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePostmasterLock as sut } from './stale-postmaster.js';

describe('parsePostmasterLock', () => {
  it('reads the postmaster PID (line 1) and its data directory (line 2)', () => {
    const text = '4242\n/srv/forum/.data/pg\n1764000000\n5432\n\n127.0.0.1\n  5432001  0\nready   \n';
    assert.deepEqual(sut(text), { pid: 4242, dataDir: '/srv/forum/.data/pg' });
  });

  it('answers null for a file PostgreSQL is still writing or that is not a lock file', () => {
    for (const text of ['', '\n', 'abc\n/x\n', '-5\n/x\n', '0\n/x\n', '1.5\n/x\n'])
      assert.equal(sut(text), null, JSON.stringify(text));
  });
});
