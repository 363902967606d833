import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { passwordResetMail, verificationMail } from './account-mails.js';

const to = { email: 'reader@example.org', displayName: 'Ann <script>alert(1)</script>', username: 'ann' };
const link = 'https://forum.example.org/verify-email?token=abc_DEF-123';

describe('account mails', () => {
  for (const [name, build] of [
    ['verification', verificationMail],
    ['password reset', passwordResetMail],
  ] as const) {
    it(`${name}: goes to the address, has the link in both parts, and escapes the display name in HTML`, () => {
      const sut = build(to, link);
      assert.equal(sut.to, 'reader@example.org');
      assert.ok(sut.text.includes(link));
      assert.ok(sut.text.includes('Ann <script>alert(1)</script>'), 'plain text shows the name as it is');
      assert.ok(sut.html.includes(`href="${link}"`));
      assert.ok(sut.html.includes('Ann &lt;script&gt;alert(1)&lt;/script&gt;'));
      assert.doesNotMatch(sut.html, /<script/);
      assert.equal(sut.headers, undefined, 'no unsubscribe header: these mails are not notifications');
    });
  }
});
