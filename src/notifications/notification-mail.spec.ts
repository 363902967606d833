import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { excerpt, EXCERPT_MAX, type MailedNotification, notificationMail, subjectOf } from './notification-mail.js';

const links = {
  inbox: 'https://forum.example/notifications',
  account: 'https://forum.example/account',
  unsubscribe: 'https://forum.example/api/unsubscribe?token=1.abc',
};

function item(overrides: Partial<MailedNotification> = {}): MailedNotification {
  return {
    kind: 'reply',
    actorName: 'Ada',
    articleTitle: 'On Archives',
    commentUrl: 'https://forum.example/comments/42',
    body: 'I read it differently.',
    reason: null,
    ...overrides,
  };
}

describe('notification mail', () => {
  it('names the essay and what happened in the subject of a single notification', () => {
    assert.equal(subjectOf([item()], 0, false), 'Ada replied to your comment in “On Archives”');
    assert.equal(
      subjectOf([item({ kind: 'removed', actorName: 'Mod' })], 0, false),
      'A moderator removed your comment in “On Archives”',
    );
  });

  it('counts several notifications in the subject, by the essay with most of them', () => {
    const items = [item(), item({ kind: 'mention' }), item({ articleTitle: 'Other' })];
    assert.equal(subjectOf(items, 0, false), '3 new notifications in “On Archives” and 1 other essay');
    assert.equal(subjectOf(items, 2, true), 'Your daily digest: 5 notifications in “On Archives” and 1 other essay');
  });

  it('keeps the subject on one line whatever the title holds', () => {
    const subject = subjectOf([item({ articleTitle: 'Line one\r\nBcc: victim@example.org' })], 0, false);
    assert.ok(!/[\r\n]/.test(subject), subject);
  });

  it('has a plain-text part and an HTML part with every user-written string escaped', () => {
    const mail = notificationMail(
      { email: 'reader@example.org', displayName: '<b>Reader</b>' },
      [item({ actorName: '<script>x</script>', body: 'a <img src=x onerror=alert(1)> b', reason: null })],
      links,
      { digest: false },
    );
    assert.equal(mail.to, 'reader@example.org');
    assert.match(mail.text, /https:\/\/forum\.example\/comments\/42/);
    assert.match(mail.text, /> a <img src=x onerror=alert\(1\)> b/, 'the text part shows the words as written');
    assert.ok(!mail.html.includes('<script>'), mail.html);
    assert.ok(!mail.html.includes('<img'), mail.html);
    assert.ok(!mail.html.includes('<b>Reader'), mail.html);
    assert.match(mail.html, /&lt;script&gt;x&lt;\/script&gt; replied to your comment/);
    assert.match(mail.html, /href="https:\/\/forum\.example\/comments\/42"/);
    assert.match(mail.text, /Unsubscribe: https:\/\/forum\.example\/api\/unsubscribe\?token=1\.abc/);
  });

  it("gives a moderator's reason", () => {
    const mail = notificationMail(
      { email: 'r@example.org', displayName: 'R' },
      [item({ kind: 'removed', reason: 'Personal attack' })],
      links,
      { digest: false },
    );
    assert.match(mail.text, /Reason: Personal attack/);
    assert.match(mail.html, /Reason: Personal attack/);
  });

  it('says how many more a digest left for the inbox', () => {
    const mail = notificationMail({ email: 'r@example.org', displayName: 'R' }, [item()], links, {
      digest: true,
      more: 7,
    });
    assert.match(mail.text, /…and 7 more in your inbox: https:\/\/forum\.example\/notifications/);
    assert.match(mail.text, /"daily"/);
  });

  it('quotes the start of a long comment, cut at a word', () => {
    const long = `${'word '.repeat(200)}end`;
    const cut = excerpt(long);
    assert.ok(cut.length <= EXCERPT_MAX + 1, String(cut.length));
    assert.ok(cut.endsWith('…'));
    assert.ok(!cut.includes('end'));
  });

  it('refuses to make a mail of nothing', () => {
    assert.throws(() => notificationMail({ email: 'r@example.org', displayName: 'R' }, [], links, { digest: false }));
  });
});
