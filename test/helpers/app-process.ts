import { type ChildProcess, type ChildProcessByStdio, spawn } from 'node:child_process';
import { type Readable } from 'node:stream';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHEAP_PASSWORD_HASHING } from './test-env.js';

const START_DEADLINE_MS = 180_000;

export interface AppProcess {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * The real entry point (`dist/src/main.js`) as a child process, resolved once it listens. Its log is text (the suites
 * match its sentences); a suite about the JSON log passes LOG_FORMAT=json.
 */
export function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const child = spawnEntryPoint(env);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let timedOut = false;
    // A start that hangs is killed: left running, it held its DATA_DIR against the suite's next starts and kept the
    // test process from ever ending. The bound is for a hang, not a slow start: 60 s was once too short for a start
    // that printed nothing yet on a machine at a load average of 30.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, START_DEADLINE_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listens on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          baseUrl: `http://127.0.0.1:${match[1]}`,
          output: () => output,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(
          timedOut
            ? `no start within ${START_DEADLINE_MS / 1000} s:\n${output}`
            : `exited with ${code} before listening:\n${output}`,
        ),
      );
    });
  });
}

/** The real entry point run until it exits by itself (a start that must fail): its exit code and everything it printed. */
export function runAppProcessToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawnEntryPoint(env);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

/**
 * `dist/src/main.js` on a free loopback port, with a text log and the suites' cheap password hashing, and `env`. Under
 * `npm test`, the same code bundled into one file (TEST_APP_BUNDLE, test/harness/app-bundle.ts) and run by
 * test/harness/app-launcher.ts, which starts with about a third of the CPU.
 */
function spawnEntryPoint(env: Record<string, string>): ChildProcessByStdio<null, Readable, Readable> {
  const bundle = process.env.TEST_APP_BUNDLE;
  const entry = bundle
    ? [fileURLToPath(new URL('../harness/app-launcher.js', import.meta.url)), bundle]
    : [path.resolve('dist/src/main.js')];
  return spawn(process.execPath, entry, {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'log',
      LOG_FORMAT: 'text',
      ...CHEAP_PASSWORD_HASHING,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
