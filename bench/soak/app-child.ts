import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { atExit } from './stopping.js';

/** The app: `node dist/src/main.js` in a child process. */

const MAIN_JS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'main.js');

export class AppChild {
  private exited = false;
  private forwarding = true;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('exit', () => (this.exited = true));
    atExit.push(() => {
      if (!this.exited) child.kill('SIGKILL');
    });
  }

  /**
   * Starts the app and resolves once it logs "listens on http://localhost:<port>". That line is logged at level
   * `log`, so LOG_LEVEL=warn would hide it: the child runs at `log` (it logs nothing per request at that level) and
   * only what it prints after that line is passed on, so what shows is what `warn` would show.
   */
  static start(databaseUrl: string, onExit: (code: number | null) => void): Promise<AppChild> {
    const child = spawn(process.execPath, [MAIN_JS], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        RATE_LIMIT_FACTOR: '100000',
        // Every reader connects from the one loopback address.
        LIVE_CONNECTIONS_PER_ADDRESS: '100000',
        LOG_LEVEL: 'log',
        SEED_ON_START: 'true',
        // A password of our own: without one the app generates one and prints it.
        ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let app: AppChild | null = null;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the app did not listen within 120 s:\n${output}`)), 120_000);
      const onData = (chunk: Buffer) => {
        if (app) {
          if (app.forwarding) process.stderr.write(prefixLines(chunk.toString(), '[app] '));
          return;
        }
        output += chunk.toString();
        const match = /listens on http:\/\/localhost:(\d+)/.exec(output);
        if (!match) return;
        clearTimeout(timer);
        app = new AppChild(child, `http://127.0.0.1:${match[1]}`);
        resolve(app);
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!app) reject(new Error(`the app exited with ${code} before it listened:\n${output}`));
        else if (app.forwarding) onExit(code);
      });
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** VmRSS and VmHWM (the peak so far), in MB. */
  async memory(): Promise<{ rssMb: number; peakMb: number }> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
    const mb = (field: string) =>
      Math.round((Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024) * 10) / 10;
    return { rssMb: mb('VmRSS'), peakMb: mb('VmHWM') };
  }

  /** CPU time (user + system) used so far, in seconds; /proc counts in clock ticks of 1/100 s on Linux. */
  async cpuSeconds(): Promise<number> {
    const stat = await readFile(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  /** SIGTERM (the app closes itself), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    this.forwarding = false;
    if (this.exited) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

function prefixLines(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line, i, all) => (i === all.length - 1 && line === '' ? '' : `${prefix}${line}`))
    .join('\n');
}
