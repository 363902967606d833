import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Fixtures } from '../../test/helpers/fixtures.js';
import { type MediumContext, startMediumContext } from '../../test/helpers/medium.js';
import { NotificationMails } from './notification-mails.js';
import { NotificationsRepository } from './notifications.repository.js';

/**
 * Who the hourly digest run picks: `daily` readers with a verified address and something unread and unmailed, whose
 * clocks show DIGEST_HOUR (7 here) in their own time zone (UTC without one); on the real database.
 */
describe('the daily digest’s hour in each reader’s time zone', () => {
  let context: MediumContext;
  let fx: Fixtures;
  let mails: NotificationMails;
  let notifications: NotificationsRepository;
  const ids: Record<string, string> = {};

  /** A reader with this mail setting and time zone, a verified address unless said otherwise, and one notification. */
  async function reader(
    label: string,
    timeZone: string | null,
    options: { setting?: string; verified?: boolean; waiting?: 'unread' | 'read' | 'mailed' } = {},
  ): Promise<void> {
    const user = await fx.newUser(`dz_${label}_${Math.random().toString(36).slice(2, 8)}`);
    await context.dataSource.query(
      `UPDATE users SET email = $2::varchar, email_key = lower($2::varchar), email_verified = $3, email_notifications = $4, time_zone = $5
        WHERE id = $1`,
      [user.id, `${user.username}@example.org`, options.verified ?? true, options.setting ?? 'daily', timeZone],
    );
    const waiting = options.waiting ?? 'unread';
    await context.dataSource.query(
      `INSERT INTO notifications (recipient_id, kind, read_at, mailed_at) VALUES ($1, 'approved', $2, $3)`,
      [user.id, waiting === 'read' ? new Date() : null, waiting === 'mailed' ? new Date() : null],
    );
    ids[label] = user.id;
  }

  /** The labels of the readers the run at this instant queues a digest for. */
  async function dueAt(instant: string): Promise<string[]> {
    const { zones, withoutZone } = await mails.zonesDueForDigest(new Date(instant));
    const found = await notifications.findDigestRecipients(zones, withoutZone, null, 100);
    return Object.keys(ids)
      .filter((label) => found.includes(ids[label]))
      .sort();
  }

  before(async () => {
    context = await startMediumContext({ env: { DIGEST_HOUR: '7' } });
    fx = new Fixtures(context.app);
    mails = context.app.get(NotificationMails);
    notifications = context.app.get(NotificationsRepository);
    await reader('utc', null);
    await reader('utcNamed', 'UTC');
    await reader('tokyo', 'Asia/Tokyo');
    await reader('newYork', 'America/New_York');
    await reader('kolkata', 'Asia/Kolkata');
    await reader('instant', null, { setting: 'instant' });
    await reader('unverified', null, { verified: false });
    await reader('allRead', null, { waiting: 'read' });
    await reader('allMailed', null, { waiting: 'mailed' });
  });

  after(() => context.close());

  it('picks at each hourly run the readers whose clocks show the digest hour, and nobody else', async () => {
    assert.deepEqual(await dueAt('2026-01-15T07:00:00Z'), ['utc', 'utcNamed']);
    assert.deepEqual(await dueAt('2026-01-14T22:00:00Z'), ['tokyo'], '07:00 in Tokyo, the next day there');
    assert.deepEqual(await dueAt('2026-01-15T12:00:00Z'), ['newYork'], '07:00 in New York in winter');
    assert.deepEqual(await dueAt('2026-07-15T11:00:00Z'), ['newYork'], 'and an hour earlier in UTC in summer');
    assert.deepEqual(await dueAt('2026-01-15T02:00:00Z'), ['kolkata'], '07:30 in India, within its digest hour');
    assert.deepEqual(await dueAt('2026-01-15T08:00:00Z'), []);
  });

  it('picks each reader at exactly one of a day’s 24 runs', async () => {
    const seen = new Map<string, number>();
    for (let hour = 0; hour < 24; hour++)
      for (const label of await dueAt(new Date(Date.UTC(2026, 2, 3, hour)).toISOString()))
        seen.set(label, (seen.get(label) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(seen), { kolkata: 1, newYork: 1, tokyo: 1, utc: 1, utcNamed: 1 });
  });
});
