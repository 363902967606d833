import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DatabasePoolUse } from '../database/pool-use.js';
import { SERVER_EVENT_TYPES } from '../realtime/event-map.js';
import { LIVE_EVENT_TYPES, MetricsService } from './metrics.service.js';

function newSut(): MetricsService {
  const pool = { read: () => ({ total: 5, idle: 3, waiting: 1 }) } as unknown as DatabasePoolUse;
  return new MetricsService(pool);
}

describe('MetricsService', () => {
  it('knows every event the live side sends, and no other', () => {
    assert.deepEqual([...LIVE_EVENT_TYPES].sort(), [...SERVER_EVENT_TYPES].sort());
  });

  it('counts an unknown live event type as other, so the label stays bounded', async () => {
    const sut = newSut();
    sut.liveEventEmitted('comment.created', new Date(Date.now() - 200).toISOString());
    sut.liveEventEmitted('anything the caller made up');
    const { body } = await sut.scrape();
    assert.match(body, /^forum_live_events_total\{type="comment.created"\} 1$/m);
    assert.match(body, /^forum_live_events_total\{type="other"\} 1$/m);
    assert.doesNotMatch(body, /made up/);
    assert.match(body, /^forum_live_event_lag_seconds_count 1$/m);
    assert.match(body, /^forum_live_event_lag_seconds_bucket\{le="0.25"\} 1$/m);
  });

  it('reads the pool when scraped, and keeps each registry to its own app', async () => {
    const sut = newSut();
    const other = newSut();
    sut.liveConnectionOpened();
    sut.liveConnectionOpened();
    sut.liveConnectionClosed();
    const { body } = await sut.scrape();
    assert.match(body, /^forum_live_connections 1$/m);
    assert.match(body, /^forum_db_pool_connections 5$/m);
    assert.match(body, /^forum_db_pool_idle_connections 3$/m);
    assert.match(body, /^forum_db_pool_waiting_queries 1$/m);
    assert.match((await other.scrape()).body, /^forum_live_connections 0$/m);
  });
});
