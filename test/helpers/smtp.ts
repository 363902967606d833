import { type AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Header values by lower-case name, as sent (unfolded). */
  header(name: string): string | undefined;
  parsed: ParsedMail;
}

/**
 * A real SMTP server for the suites, on 127.0.0.1 and a port of its own: it parses each message it accepts and keeps
 * it. `refuse(true)` answers every sender with a temporary failure (451, as a full or broken server does), `stop()`
 * closes the port (an outage) and `start()` opens the same port again.
 */
export class TestSmtp {
  readonly received: ReceivedMail[] = [];
  private refusing = false;
  private server?: SMTPServer;
  private waiters: (() => void)[] = [];

  private constructor(
    private port: number,
    private readonly onMail?: (mail: ReceivedMail) => void,
  ) {}

  /** `port` 0: a free one. */
  static async start(port = 0, onMail?: (mail: ReceivedMail) => void): Promise<TestSmtp> {
    const smtp = new TestSmtp(port, onMail);
    await smtp.start();
    return smtp;
  }

  /** For SMTP_URL. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  refuse(refusing: boolean): void {
    this.refusing = refusing;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      // Plain SMTP on loopback: no certificate to trust.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 100,
      onMailFrom: (_address, _session, callback) => {
        if (this.refusing)
          callback(Object.assign(new Error('Try again later (refused by the test)'), { responseCode: 451 }));
        else callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          (parsed) => {
            const mail = toReceived(parsed);
            this.received.push(mail);
            this.onMail?.(mail);
            callback();
            for (const wake of this.waiters.splice(0)) wake();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The messages sent to an address (compared case-insensitively). */
  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to.toLowerCase() === address.toLowerCase());
  }

  /** Waits until `count` messages went to `address` (default: one), then answers the last of them. */
  async waitFor(address: string, count = 1, timeoutMs = 15_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(address).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail #${count} to ${address} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.to(address)[count - 1];
  }
}

function toReceived(parsed: ParsedMail): ReceivedMail {
  const addressText = (value: ParsedMail['to']) =>
    (Array.isArray(value) ? value : value ? [value] : [])
      .flatMap((address) => address.value)
      .map((address) => address.address ?? '')
      .join(', ');
  return {
    to: addressText(parsed.to),
    from: parsed.from?.text ?? '',
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    header: (name) =>
      parsed.headerLines
        .find((line) => line.key === name.toLowerCase())
        ?.line.replace(/^[^:]*:\s*/, '')
        .replace(/\r?\n\s+/g, ' '),
    parsed,
  };
}

/** The token of the first forum link in a mail's text (`/verify-email?token=…`, `/reset-password?token=…`). */
export function tokenIn(text: string, path: string): string {
  const match = new RegExp(`${path.replace(/[?]/g, '\\?')}\\?token=([A-Za-z0-9_.-]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return match[1];
}
