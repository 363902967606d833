import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hourIn, timeZoneName, zonesAtHour } from './time-zones.js';

describe('time zones', () => {
  it('takes IANA names and their aliases, in any case, and nothing else', () => {
    assert.equal(timeZoneName('Europe/Paris'), 'Europe/Paris');
    assert.equal(timeZoneName('europe/paris'), 'Europe/Paris', 'given its proper case');
    assert.equal(timeZoneName('Asia/Kolkata'), 'Asia/Kolkata', 'an alias stays as chosen');
    assert.equal(timeZoneName('UTC'), 'UTC');
    assert.equal(timeZoneName('America/Argentina/Buenos_Aires'), 'America/Argentina/Buenos_Aires');
    assert.equal(timeZoneName('Etc/GMT+5'), 'Etc/GMT+5');
    for (const bad of [
      '',
      'Mars/Olympus_Mons',
      '+05:30',
      'Europe/Paris ',
      '../etc/passwd',
      'Europe//Paris',
      'x'.repeat(65),
    ])
      assert.equal(timeZoneName(bad), null, JSON.stringify(bad));
  });

  it('reads the hour on the zone’s clocks, summer time included', () => {
    const winter = new Date('2026-01-15T12:00:00Z');
    const summer = new Date('2026-07-15T12:00:00Z');
    assert.deepEqual(
      [hourIn(null, winter), hourIn('UTC', winter), hourIn('Asia/Tokyo', winter), hourIn('America/New_York', winter)],
      [12, 12, 21, 7],
    );
    assert.equal(hourIn('America/New_York', summer), 8, 'daylight saving time');
    assert.equal(hourIn('Asia/Kolkata', new Date('2026-01-15T01:30:00Z')), 7, 'a half-hour offset');
    assert.equal(hourIn('Asia/Kolkata', new Date('2026-01-15T01:00:00Z')), 6);
    assert.equal(hourIn('No/Such_Zone', winter), 12, 'an unknown zone counts as UTC');
  });

  it('finds the zones whose clocks show the hour, once a day each at an hourly run', () => {
    const zones = [null, 'UTC', 'Asia/Tokyo', 'America/New_York', 'Asia/Kolkata', 'Europe/Paris'];
    assert.deepEqual(zonesAtHour(zones, new Date('2026-01-15T07:00:00Z'), 7), [null, 'UTC']);
    assert.deepEqual(zonesAtHour(zones, new Date('2026-01-14T22:00:00Z'), 7), ['Asia/Tokyo']);
    assert.deepEqual(zonesAtHour(zones, new Date('2026-01-15T12:00:00Z'), 7), ['America/New_York']);
    assert.deepEqual(zonesAtHour(zones, new Date('2026-01-15T02:00:00Z'), 7), ['Asia/Kolkata'], 'at 07:30 there');
    const runs = Array.from({ length: 24 }, (_, h) => new Date(Date.UTC(2026, 0, 15, h)));
    for (const zone of zones)
      assert.equal(runs.filter((at) => zonesAtHour([zone], at, 7).length === 1).length, 1, `${zone} once a day`);
  });
});
