import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionsPerAddress, clientAddress } from './connections-per-address.js';

describe('ConnectionsPerAddress', () => {
  it('gives each address up to the limit, and a place back when released', () => {
    const limit = new ConnectionsPerAddress(2);
    assert.equal(limit.take('10.0.0.1'), true);
    assert.equal(limit.take('10.0.0.1'), true);
    assert.equal(limit.take('10.0.0.1'), false);
    assert.equal(limit.take('10.0.0.2'), true, 'another address has places of its own');
    limit.release('10.0.0.1');
    assert.equal(limit.take('10.0.0.1'), true);
    limit.release('10.0.0.1');
    limit.release('10.0.0.1');
    limit.release('10.0.0.2');
    assert.equal(limit.addresses, 0, 'nothing kept for addresses with no connection');
  });

  it('reads the address from X-Forwarded-For only behind a trusted proxy', () => {
    assert.equal(clientAddress('127.0.0.1', '203.0.113.7, 10.0.0.1', true), '203.0.113.7');
    assert.equal(clientAddress('127.0.0.1', ['203.0.113.8'], true), '203.0.113.8');
    assert.equal(clientAddress('127.0.0.1', '203.0.113.7', false), '127.0.0.1');
    assert.equal(clientAddress('127.0.0.1', undefined, true), '127.0.0.1');
    assert.equal(clientAddress('127.0.0.1', ' , ', true), '127.0.0.1');
  });
});
