import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const sut = loadConfig({});
    assert.equal(sut.port, 3000);
    assert.equal(sut.databaseUrl, null);
    assert.equal(sut.dataDir, './.data');
    assert.equal(sut.adminUsername, 'admin');
    assert.equal(sut.adminPassword, null);
    assert.equal(sut.logLevel, 'log');
    assert.equal(sut.rateLimitFactor, 1);
    assert.equal(sut.seedOnStart, true);
    assert.deepEqual(sut.passwordHashing, { memoryKiB: 65_536, passes: 3 });
    assert.equal(sut.shutdownGraceMs, 10_000);
  });

  it('reads every variable', () => {
    const sut = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/forum',
      DATA_DIR: '/var/forum',
      ADMIN_USERNAME: 'root_admin',
      ADMIN_PASSWORD: 'correct horse battery',
      LOG_LEVEL: 'debug',
      RATE_LIMIT_FACTOR: '1000',
      SEED_ON_START: 'false',
      PASSWORD_HASH_MEMORY_KIB: '19456',
      PASSWORD_HASH_PASSES: '2',
      SHUTDOWN_GRACE_MS: '2500',
    });
    assert.equal(sut.port, 8080);
    assert.equal(sut.databaseUrl, 'postgres://u:p@db:5432/forum');
    assert.equal(sut.rateLimitFactor, 1000);
    assert.equal(sut.seedOnStart, false);
    assert.equal(sut.logLevel, 'debug');
    assert.deepEqual(sut.passwordHashing, { memoryKiB: 19_456, passes: 2 });
    assert.equal(sut.shutdownGraceMs, 2500);
  });

  it('stops with a message naming each bad variable', () => {
    const cases: Record<string, string>[] = [
      { PORT: 'eighty' },
      { PORT: '70000' },
      { DATABASE_URL: 'mysql://x' },
      { LOG_LEVEL: 'loud' },
      { RATE_LIMIT_FACTOR: '-1' },
      { ADMIN_USERNAME: 'no spaces allowed' },
      { ADMIN_PASSWORD: 'short' },
      { PASSWORD_HASH_MEMORY_KIB: '64' },
      { PASSWORD_HASH_PASSES: '0' },
      { SHUTDOWN_GRACE_MS: 'soon' },
      { LOG_FORMAT: 'pretty' },
      { METRICS_TOKEN: 'short' },
      { METRICS_TOKEN: 'a token with spaces in it' },
      { HTTP_KEEP_ALIVE_TIMEOUT_MS: '500' },
      { HTTP_KEEP_ALIVE_TIMEOUT_MS: 'long' },
      { DATABASE_POOL_SIZE: '0' },
      { DATABASE_POOL_SIZE: '2.5' },
    ];
    for (const env of cases) {
      const [name] = Object.keys(env);
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name),
        name,
      );
    }
  });

  it('gives the operations defaults: no metrics, keep-alive above a balancer, the pool of 20', () => {
    const sut = loadConfig({}, false);
    assert.equal(sut.metricsToken, null);
    assert.equal(sut.httpKeepAliveTimeoutMs, 65_000);
    assert.equal(sut.databasePoolSize, 20);
  });

  it('logs JSON lines unless stdout is a terminal, and LOG_FORMAT overrides either way', () => {
    assert.equal(loadConfig({}, false).logFormat, 'json');
    assert.equal(loadConfig({}, true).logFormat, 'text');
    assert.equal(loadConfig({ LOG_FORMAT: 'json' }, true).logFormat, 'json');
    assert.equal(loadConfig({ LOG_FORMAT: 'text' }, false).logFormat, 'text');
  });

  it('reads the operations variables', () => {
    const sut = loadConfig({
      METRICS_TOKEN: 'k3Y-0f_the.scraper~42',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000',
      DATABASE_POOL_SIZE: '8',
    });
    assert.equal(sut.metricsToken, 'k3Y-0f_the.scraper~42');
    assert.equal(sut.httpKeepAliveTimeoutMs, 120_000);
    assert.equal(sut.databasePoolSize, 8);
  });

  it('mails nothing without SMTP_URL, and derives PUBLIC_URL and MAIL_FROM from the port and the host', () => {
    const sut = loadConfig({ PORT: '8080' });
    assert.equal(sut.smtpUrl, null);
    assert.equal(sut.publicUrl, 'http://localhost:8080');
    assert.equal(sut.mailFrom, 'Essay forum <no-reply@localhost>');
    const configured = loadConfig({
      SMTP_URL: 'smtps://user:secret@mail.example.org:465',
      PUBLIC_URL: 'https://forum.example.org/',
    });
    assert.equal(configured.smtpUrl, 'smtps://user:secret@mail.example.org:465');
    assert.equal(configured.publicUrl, 'https://forum.example.org');
    assert.equal(configured.mailFrom, 'Essay forum <no-reply@forum.example.org>');
    assert.equal(loadConfig({ MAIL_FROM: 'Forum <forum@example.org>' }).mailFrom, 'Forum <forum@example.org>');
  });

  it('refuses an SMTP_URL that is not smtp(s), a PUBLIC_URL with a path, and a MAIL_FROM of two lines', () => {
    for (const [name, value] of [
      ['SMTP_URL', 'http://mail.example.org'],
      ['SMTP_URL', 'smtp://'],
      ['PUBLIC_URL', 'https://forum.example.org/forum'],
      ['PUBLIC_URL', 'ftp://forum.example.org'],
      ['PUBLIC_URL', 'https://exa mple.org'],
      ['MAIL_FROM', 'Forum <forum@example.org>\r\nBcc: everyone@example.org'],
    ]) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, new RegExp(`^  ${name}=`, 'm'));
          return true;
        },
      );
    }
  });

  it('times the digest by DIGEST_HOUR, or its former name DIGEST_HOUR_UTC, and refuses an hour out of 0-23', () => {
    assert.equal(loadConfig({}).digestHour, 7);
    assert.equal(loadConfig({ DIGEST_HOUR: '0' }).digestHour, 0);
    assert.equal(loadConfig({ DIGEST_HOUR_UTC: '9' }).digestHour, 9);
    assert.equal(loadConfig({ DIGEST_HOUR: '18', DIGEST_HOUR_UTC: '9' }).digestHour, 18, 'the new name wins');
    for (const name of ['DIGEST_HOUR', 'DIGEST_HOUR_UTC'])
      assert.throws(() => loadConfig({ [name]: '24' }), new RegExp(`^  ${name}=24`, 'm'));
  });

  it('bounds a very common search by SEARCH_COMMON_CAP, a whole number from 1 to 100,000', () => {
    assert.equal(loadConfig({}).searchCommonCap, 1000);
    assert.equal(loadConfig({ SEARCH_COMMON_CAP: '25' }).searchCommonCap, 25);
    for (const bad of ['0', '100001', '2.5', 'many'])
      assert.throws(() => loadConfig({ SEARCH_COMMON_CAP: bad }), /^ {2}SEARCH_COMMON_CAP=/m);
  });

  it('lets nobody frame the forum by default, and reads EMBED_ORIGINS as exact http(s) origins', () => {
    assert.deepEqual(loadConfig({}).embedOrigins, []);
    assert.deepEqual(
      loadConfig({
        EMBED_ORIGINS: 'https://blog.example.org, http://localhost:4000,https://blog.example.org,http://[::1]:8080',
      }).embedOrigins,
      ['https://blog.example.org', 'http://localhost:4000', 'http://[::1]:8080'],
    );
    for (const value of [
      'https://*.example.org',
      'https://blog.example.org/',
      'https://blog.example.org/essays',
      'ftp://blog.example.org',
      "https://blog.example.org 'unsafe-inline'",
      'https://blog.example.org;script-src *',
      'blog.example.org',
      'https://BLOG.example.org',
      'https://blog.example.org:443',
      'https://*',
    ])
      assert.throws(() => loadConfig({ EMBED_ORIGINS: value }), /^ {2}EMBED_ORIGINS=/m, value);
  });
});
