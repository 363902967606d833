import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidationError,
  validateSync,
} from 'class-validator';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * The raw environment, validated. Each property carries the name of its variable so that an error names it.
 * Nothing else in the code base reads process.env: it asks for AppConfig.
 */
class EnvironmentVariables {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @Matches(/^[A-Za-z0-9.:[\]-]{1,255}$/, { message: 'HOST must be a host name or an IP address to listen on' })
  HOST?: string;

  @IsOptional()
  @IsString()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{3,32}$/, { message: 'ADMIN_USERNAME must be 3-32 characters of A-Z, a-z, 0-9, _ and -' })
  ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  @MaxLength(256, { message: 'ADMIN_PASSWORD must be at most 256 characters' })
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL?: LogLevel;

  @IsOptional()
  @IsNumber()
  @Min(0.001)
  @Max(1_000_000)
  RATE_LIMIT_FACTOR?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @IsOptional()
  @IsIn(['true', 'false'])
  SEED_ON_START?: 'true' | 'false';

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  SESSION_TTL_HOURS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  LIVE_CONNECTIONS_PER_ADDRESS?: number;

  @IsOptional()
  @Matches(/^(https?:\/\/[^\s,/]+)(,https?:\/\/[^\s,/]+)*$/, {
    message: 'PUBLIC_ORIGINS must be a comma-separated list of origins such as https://forum.example.org',
  })
  PUBLIC_ORIGINS?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4096)
  EMBED_ORIGINS?: string;

  @IsOptional()
  @IsIn(['true', 'false'])
  TRUST_PROXY?: 'true' | 'false';

  @IsOptional()
  @IsString()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(4 * 1024 * 1024)
  PASSWORD_HASH_MEMORY_KIB?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  PASSWORD_HASH_PASSES?: number;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(10 * 60 * 1000)
  SHUTDOWN_GRACE_MS?: number;

  @IsOptional()
  @IsIn(LOG_FORMATS)
  LOG_FORMAT?: LogFormat;

  @IsOptional()
  @Matches(/^[\x21-\x7e]{16,256}$/, {
    message: 'METRICS_TOKEN must be 16-256 printable characters without spaces (a long random string)',
  })
  METRICS_TOKEN?: string;

  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(10 * 60 * 1000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  DATABASE_POOL_SIZE?: number;

  /** Megabytes of anonymous readers' answers kept per process (0: none kept; ETags and 304s still answer). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(16 * 1024)
  ANSWER_CACHE_MB?: number;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  @MaxLength(320)
  // One line: a header value (a line break would let it add headers of its own).
  @Matches(/^[^\r\n]+$/, { message: 'MAIL_FROM must be one line, such as "Essay forum <forum@example.org>"' })
  MAIL_FROM?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(/^https?:\/\/[^\s/?#]+\/?$/, {
    message: 'PUBLIC_URL must be an http:// or https:// origin such as https://forum.example.org (no path)',
  })
  PUBLIC_URL?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600)
  NOTIFICATION_MAIL_DELAY_SECONDS?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(23)
  DIGEST_HOUR?: number;

  /** DIGEST_HOUR's former name, from when every digest went out at that hour in UTC: read when DIGEST_HOUR is unset. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(23)
  DIGEST_HOUR_UTC?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  SEARCH_COMMON_CAP?: number;
}

export class ConfigError extends Error {}

/** The application's configuration: one typed object, validated once at boot. */
export class AppConfig {
  readonly port: number;
  /** The address to listen on; null: every interface. */
  readonly host: string | null;
  /** null: the app runs an embedded PostgreSQL under dataDir. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly adminUsername: string;
  /** null: a random password is generated at first start and printed once. */
  readonly adminPassword: string | null;
  readonly logLevel: LogLevel;
  readonly rateLimitFactor: number;
  /** 0: pick a free port for the embedded PostgreSQL. */
  readonly embeddedPgPort: number;
  /** Import the seed documents at start when they are missing. */
  readonly seedOnStart: boolean;
  readonly sessionTtlHours: number;
  /** Live (Socket.IO) connections one client address may hold open to one process at once. */
  readonly liveConnectionsPerAddress: number;
  /**
   * Origins (scheme://host[:port]) whose pages may write with the session cookie, besides the server's own origin.
   * Cookie-authenticated writes from any other origin are refused (CSRF).
   */
  readonly publicOrigins: string[];
  /**
   * Origins (scheme://host[:port], exactly: no wildcard, no path) whose pages may frame the embedded discussion
   * (/embed/*): its CSP frame-ancestors. Empty: nobody may, like every other page of the forum.
   */
  readonly embedOrigins: string[];
  /** Behind a load balancer: take the client's address from X-Forwarded-For. */
  readonly trustProxy: boolean;
  /** Set: live events fan out between processes through Redis streams instead of PostgreSQL. */
  readonly redisUrl: string | null;
  /**
   * argon2id's cost for new password hashes: memory in KiB and passes (64 MiB and 3 passes by default, the library's
   * defaults). Stored hashes carry their own parameters, so a change applies to hashes made from then on. The test
   * harnesses lower it for suites that are not about passwords; a deployment has no reason to.
   */
  readonly passwordHashing: { memoryKiB: number; passes: number };
  /** How long a stop waits for open HTTP connections (a long-poll, a slow client) before it closes them. */
  readonly shutdownGraceMs: number;
  /** `json`: one JSON object a line (for log collectors); `text`: one readable line each (for a person at a terminal). */
  readonly logFormat: LogFormat;
  /** The bearer token that GET /metrics asks for; null: /metrics does not exist (404). */
  readonly metricsToken: string | null;
  /**
   * How long an idle keep-alive connection stays open. Above a load balancer's idle timeout (60 s for most), so that
   * the balancer, not the app, closes idle connections: with Node's default of 5 s the app closed connections the
   * balancer was about to reuse, and those requests failed with ECONNRESET. Headers may take 1 s longer than that
   * (Node requires headersTimeout above keepAliveTimeout for the same reason).
   */
  readonly httpKeepAliveTimeoutMs: number;
  /** Connections of the app's database pool (the live fan-out holds a few more of its own). */
  readonly databasePoolSize: number;
  /** The anonymous readers' answer cache's bound, in bytes (0: no cache). */
  readonly answerCacheBytes: number;
  /** Where mail is sent (`smtp://` or `smtps://`, with user and password when needed); null: no mail at all. */
  readonly smtpUrl: string | null;
  /** The From of every mail. */
  readonly mailFrom: string;
  /** The forum's public origin (no trailing slash), the start of every link in a mail. */
  readonly publicUrl: string;
  /**
   * How long an `instant` notification mail waits for others to the same reader, which then share it (30 s by
   * default: well within the minute the contract allows, and a burst of replies makes one mail, not ten).
   */
  readonly notificationMailDelaySeconds: number;
  /**
   * The hour (0-23) at which `daily` readers get their digest, in each reader's own time zone (UTC for those who set
   * none).
   */
  readonly digestHour: number;
  /**
   * Search's bound on a very common query (SEARCH_COMMON_CAP, 1,000 by default): when at least this many of the
   * newest `5 ×` this many comments the viewer may read in the search's scope match, only this many newest matching
   * comments are ranked (see SearchRepository).
   */
  readonly searchCommonCap: number;

  constructor(values: Omit<AppConfig, never>) {
    Object.assign(this, values);
  }
}

/** argon2id's defaults in the argon2 library: 64 MiB, 3 passes. */
export const DEFAULT_PASSWORD_HASHING = { memoryKiB: 65_536, passes: 3 } as const;

const NUMERIC = [
  'PORT',
  'RATE_LIMIT_FACTOR',
  'EMBEDDED_PG_PORT',
  'SESSION_TTL_HOURS',
  'LIVE_CONNECTIONS_PER_ADDRESS',
  'PASSWORD_HASH_MEMORY_KIB',
  'PASSWORD_HASH_PASSES',
  'SHUTDOWN_GRACE_MS',
  'HTTP_KEEP_ALIVE_TIMEOUT_MS',
  'DATABASE_POOL_SIZE',
  'ANSWER_CACHE_MB',
  'NOTIFICATION_MAIL_DELAY_SECONDS',
  'DIGEST_HOUR',
  'DIGEST_HOUR_UTC',
  'SEARCH_COMMON_CAP',
] as const;

/**
 * Reads and validates the environment; throws ConfigError naming every bad variable. `stdoutIsTerminal` picks the
 * default log format: readable text for a person at a terminal, JSON lines for everything else (a container, a
 * service manager, a pipe).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  stdoutIsTerminal: boolean = process.stdout.isTTY === true,
): AppConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(new EnvironmentVariablesKeys())) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    raw[key] =
      (NUMERIC as readonly string[]).includes(key) && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  }
  const parsed = plainToInstance(EnvironmentVariables, raw);
  const errors = validateSync(parsed, { whitelist: true });
  for (const [property, value] of [
    ['SMTP_URL', parsed.SMTP_URL],
    ['PUBLIC_URL', parsed.PUBLIC_URL],
  ] as const) {
    if (value !== undefined && !canParseUrl(value))
      errors.push(
        Object.assign(new ValidationError(), { property, value, constraints: { url: `${property} is not a URL` } }),
      );
  }
  const embedOrigins = parsed.EMBED_ORIGINS === undefined ? [] : originList(parsed.EMBED_ORIGINS);
  if (embedOrigins === null)
    errors.push(
      Object.assign(new ValidationError(), {
        property: 'EMBED_ORIGINS',
        value: parsed.EMBED_ORIGINS,
        constraints: {
          origins:
            'EMBED_ORIGINS must be a comma-separated list of exact http:// or https:// origins such as ' +
            'https://blog.example.org (no wildcard, no path, no trailing slash)',
        },
      }),
    );
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const detail = Object.values(e.constraints ?? {}).join('; ');
      return `  ${e.property}=${JSON.stringify(e.value)}: ${detail}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const publicUrl = (parsed.PUBLIC_URL ?? `http://localhost:${parsed.PORT ?? 3000}`).replace(/\/$/, '');
  return new AppConfig({
    port: parsed.PORT ?? 3000,
    host: parsed.HOST ?? null,
    databaseUrl: parsed.DATABASE_URL ?? null,
    dataDir: parsed.DATA_DIR ?? './.data',
    adminUsername: parsed.ADMIN_USERNAME ?? 'admin',
    adminPassword: parsed.ADMIN_PASSWORD ?? null,
    logLevel: parsed.LOG_LEVEL ?? 'log',
    rateLimitFactor: parsed.RATE_LIMIT_FACTOR ?? 1,
    embeddedPgPort: parsed.EMBEDDED_PG_PORT ?? 0,
    seedOnStart: (parsed.SEED_ON_START ?? 'true') === 'true',
    sessionTtlHours: parsed.SESSION_TTL_HOURS ?? 24 * 30,
    liveConnectionsPerAddress: parsed.LIVE_CONNECTIONS_PER_ADDRESS ?? 200,
    publicOrigins: parsed.PUBLIC_ORIGINS ? parsed.PUBLIC_ORIGINS.split(',') : [],
    embedOrigins: embedOrigins ?? [],
    trustProxy: parsed.TRUST_PROXY === 'true',
    redisUrl: parsed.REDIS_URL ?? null,
    passwordHashing: {
      memoryKiB: parsed.PASSWORD_HASH_MEMORY_KIB ?? DEFAULT_PASSWORD_HASHING.memoryKiB,
      passes: parsed.PASSWORD_HASH_PASSES ?? DEFAULT_PASSWORD_HASHING.passes,
    },
    shutdownGraceMs: parsed.SHUTDOWN_GRACE_MS ?? 10_000,
    logFormat: parsed.LOG_FORMAT ?? (stdoutIsTerminal ? 'text' : 'json'),
    metricsToken: parsed.METRICS_TOKEN ?? null,
    httpKeepAliveTimeoutMs: parsed.HTTP_KEEP_ALIVE_TIMEOUT_MS ?? 65_000,
    databasePoolSize: parsed.DATABASE_POOL_SIZE ?? 20,
    answerCacheBytes: (parsed.ANSWER_CACHE_MB ?? 64) * 1024 * 1024,
    smtpUrl: parsed.SMTP_URL ?? null,
    mailFrom: parsed.MAIL_FROM ?? defaultMailFrom(publicUrl),
    publicUrl,
    notificationMailDelaySeconds: parsed.NOTIFICATION_MAIL_DELAY_SECONDS ?? 30,
    digestHour: parsed.DIGEST_HOUR ?? parsed.DIGEST_HOUR_UTC ?? 7,
    searchCommonCap: parsed.SEARCH_COMMON_CAP ?? 1000,
  });
}

/**
 * A comma-separated list of origins, each exactly as a browser serialises it (so that it can stand in a CSP header as
 * it is: no quote, semicolon or space can get in), or null when one is not. Spaces around the commas are allowed.
 */
const ORIGIN_SHAPE = /^https?:\/\/([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/;

function originList(value: string): string[] | null {
  const origins = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const exact = origins.every((item) => {
    try {
      const url = new URL(item);
      // The URL parser takes `*` in a host name, which CSP would read as a wildcard: only letters, digits, dots and
      // hyphens (or a bracketed IPv6 address) may name a host here.
      return ORIGIN_SHAPE.test(item) && url.origin === item;
    } catch {
      return false;
    }
  });
  return exact ? [...new Set(origins)] : null;
}

function canParseUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** `Essay forum <no-reply@HOST>`, HOST the public origin's host name (so a local start mails from no-reply@localhost). */
function defaultMailFrom(publicUrl: string): string {
  return `Essay forum <no-reply@${new URL(publicUrl).hostname}>`;
}

/** The variable names, listed once (class-validator needs the keys of a value, not a type). */
class EnvironmentVariablesKeys implements Record<keyof EnvironmentVariables, true> {
  PORT = true as const;
  HOST = true as const;
  DATABASE_URL = true as const;
  DATA_DIR = true as const;
  ADMIN_USERNAME = true as const;
  ADMIN_PASSWORD = true as const;
  LOG_LEVEL = true as const;
  RATE_LIMIT_FACTOR = true as const;
  EMBEDDED_PG_PORT = true as const;
  SEED_ON_START = true as const;
  SESSION_TTL_HOURS = true as const;
  LIVE_CONNECTIONS_PER_ADDRESS = true as const;
  PUBLIC_ORIGINS = true as const;
  EMBED_ORIGINS = true as const;
  TRUST_PROXY = true as const;
  REDIS_URL = true as const;
  PASSWORD_HASH_MEMORY_KIB = true as const;
  PASSWORD_HASH_PASSES = true as const;
  SHUTDOWN_GRACE_MS = true as const;
  LOG_FORMAT = true as const;
  METRICS_TOKEN = true as const;
  HTTP_KEEP_ALIVE_TIMEOUT_MS = true as const;
  DATABASE_POOL_SIZE = true as const;
  ANSWER_CACHE_MB = true as const;
  SMTP_URL = true as const;
  MAIL_FROM = true as const;
  PUBLIC_URL = true as const;
  NOTIFICATION_MAIL_DELAY_SECONDS = true as const;
  DIGEST_HOUR = true as const;
  DIGEST_HOUR_UTC = true as const;
  SEARCH_COMMON_CAP = true as const;
}
