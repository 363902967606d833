import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AppProcess, startAppProcess } from './app-process.js';

/**
 * The deployed topology, run for real on 127.0.0.1: N app processes (`dist/src/main.js`) on one database behind
 * HAProxy, optionally with Redis for the live fan-out between them. The suites and `npm run cluster` use it; it loads
 * none of the app's modules, so it starts in milliseconds.
 *
 * HAProxy's settings (the same as deploy/haproxy.cfg, which the Compose file uses):
 * - health: `GET /readyz` every 500 ms, given 2 s to answer; two failures in a row mark a node DOWN and one success UP
 *   again (`fall 2 rise 1`, `timeout check 2s`). A stopping node answers 503 at once, so it leaves the rotation about
 *   a second after its SIGTERM (a request that meets it stopping meanwhile is sent again, below); one slow answer on a
 *   loaded machine (without `timeout check` the check would wait only `inter`, 500 ms) does not take a node out.
 *   A node that failed for another reason is back half a second after it recovers.
 * - WebSocket: HAProxy tunnels an upgraded connection; `timeout tunnel 1h` bounds an idle one (Socket.IO pings every
 *   25 s, so a live connection is never idle that long).
 * - long-polling is sticky by cookie (`cookie SERVERID insert indirect nocache`): every HTTP request of one Engine.IO
 *   session must reach the process that holds the session. `balance source` would also be sticky, but it sends every
 *   client behind one address (a school, a mobile carrier, these tests) to the same process; the cookie spreads them
 *   round robin and sticks each one. The cookie is inserted only when the client does not already send a valid one
 *   (`indirect`), and never cached by shared caches (`nocache`).
 * - `option forwardfor` adds X-Forwarded-For, which the apps read with TRUST_PROXY=true (rate limits per address).
 * - `timeout http-keep-alive 4s`, below Node's 5 s keep-alive, so that HAProxy closes an idle client connection first;
 *   on the server side, `retry-on conn-failure empty-response` with `option redispatch` sends a request again to
 *   another node when the connection it used failed or was closed under it (a stopping node, a keep-alive timed out):
 *   any request whose connection failed (it was never sent), only a GET or HEAD when it was closed without an answer
 *   (a write may have been applied).
 * - `timeout server 60s`, above Socket.IO's long-poll (held up to its 25 s ping interval).
 */

/** Health check settings, shared by the generated configuration and deploy/haproxy.cfg. */
export const HEALTH_CHECK = { intervalMs: 500, fall: 2, rise: 1, timeoutMs: 2_000 } as const;

export interface ClusterOptions {
  /** The database every process uses (each process migrates it at start when it needs to). */
  databaseUrl: string;
  /** How many app processes (3 by default). */
  nodes?: number;
  /** Start a Redis server and pass REDIS_URL to the apps. */
  redis?: boolean;
  /** More environment for every app process (ADMIN_PASSWORD, SEED_ON_START=true, ...). */
  env?: Record<string, string>;
  /** The load balancer's port (0 or unset: a free one). */
  port?: number;
}

export interface NodeState {
  /** The server's name in HAProxy: node0, node1, ... */
  name: string;
  /** HAProxy's view: UP, DOWN, MAINT, or a transition such as `UP 1/2`. */
  status: string;
  /** Connections open to it now (a WebSocket counts until it closes). */
  currentSessions: number;
  /** Connections it has been given since HAProxy started. */
  totalSessions: number;
}

/** What every app process of a cluster runs with, besides the database and its port. */
const NODE_ENV: Record<string, string> = {
  HOST: '127.0.0.1',
  TRUST_PROXY: 'true',
  SEED_ON_START: 'false',
  RATE_LIMIT_FACTOR: '100000',
  LOG_LEVEL: 'warn',
};

const STATE_TIMEOUT_MS = 20_000;

export class Cluster {
  /** The load balancer's URL: what clients use. */
  readonly baseUrl: string;
  /** The Redis URL the apps use, when started with `redis: true`. */
  readonly redisUrl: string | undefined;
  private readonly processes: (AppProcess | null)[];
  private readonly ports: number[];
  private haproxy: ChildProcess | null = null;
  private haproxyOutput = '';
  private redis: ChildProcess | null = null;
  private readonly redisPort: number | undefined;
  private readonly environment: Record<string, string>;

  private constructor(
    private readonly directory: string,
    private readonly balancerPort: number,
    processes: AppProcess[],
    environment: Record<string, string>,
    redisPort: number | undefined,
  ) {
    this.processes = processes;
    this.ports = processes.map((app) => Number(new URL(app.baseUrl).port));
    this.baseUrl = `http://127.0.0.1:${balancerPort}`;
    this.environment = environment;
    this.redisPort = redisPort;
    this.redisUrl = redisPort === undefined ? undefined : `redis://127.0.0.1:${redisPort}`;
  }

  /**
   * Starts Redis (when asked), the app processes, then HAProxy in front of them, and answers once HAProxy sees every
   * node UP. A failure on the way stops whatever had started.
   */
  static async start(options: ClusterOptions): Promise<Cluster> {
    const directory = await mkdtemp(path.join(tmpdir(), 'forum-cluster-'));
    const started: AppProcess[] = [];
    let redis: ChildProcess | null = null;
    try {
      const redisPort = options.redis ? await freePort() : undefined;
      if (redisPort !== undefined) redis = await startRedis(redisPort);
      const environment = {
        ...NODE_ENV,
        DATABASE_URL: options.databaseUrl,
        ...(redisPort === undefined ? {} : { REDIS_URL: `redis://127.0.0.1:${redisPort}` }),
        ...options.env,
      };
      const count = options.nodes ?? 3;
      // All at once, as Compose starts replicas: migrations, the first admin and the seeds are each set up once under
      // a lock in the database, whichever process comes first.
      const starts = await Promise.allSettled(
        Array.from({ length: count }, () => startAppProcess({ ...environment, PORT: '0' })),
      );
      for (const start of starts) if (start.status === 'fulfilled') started.push(start.value);
      const failed = starts.find((start) => start.status === 'rejected');
      if (failed) throw failed.reason;
      const cluster = new Cluster(directory, options.port || (await freePort()), started, environment, redisPort);
      cluster.redis = redis;
      await cluster.startBalancer();
      await Promise.all(started.map((_, index) => cluster.waitUntilHealthy(index)));
      return cluster;
    } catch (error) {
      await Promise.all(started.map((app) => app.stop('SIGKILL')));
      if (redis) await stopChild(redis, 'SIGKILL');
      await rm(directory, { recursive: true, force: true });
      throw error;
    }
  }

  /** Each node's own URL, bypassing the load balancer. */
  get nodes(): string[] {
    return this.ports.map((port) => `http://127.0.0.1:${port}`);
  }

  /** The process ids of the app processes running now (for a benchmark that reads their CPU time from /proc). */
  pids(): number[] {
    return this.processes.flatMap((app) => (app?.child.pid === undefined ? [] : [app.child.pid]));
  }

  /** The HAProxy configuration this cluster runs with (also checked by `haproxy -c` in the suites). */
  get configPath(): string {
    return path.join(this.directory, 'haproxy.cfg');
  }

  private get statsSocket(): string {
    return path.join(this.directory, 'haproxy.sock');
  }

  /** Sends a signal to node `index` and waits for it to exit; answers its exit code. */
  async kill(index: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const app = this.processes[index];
    if (!app) return null;
    const code = await app.stop(signal);
    this.processes[index] = null;
    return code;
  }

  /** Stops node `index` if it runs (SIGTERM), starts it again on the same port and waits until HAProxy sees it UP. */
  async restart(index: number): Promise<void> {
    await this.kill(index);
    this.processes[index] = await startAppProcess({ ...this.environment, PORT: String(this.ports[index]) });
    await this.waitUntilHealthy(index);
  }

  /** One node after the other: SIGTERM, HAProxy sees it DOWN, start again, HAProxy sees it UP. */
  async rollingRestart(): Promise<void> {
    for (let index = 0; index < this.ports.length; index++) {
      const stopped = this.kill(index);
      await this.waitUntilDown(index);
      await stopped;
      await this.restart(index);
    }
  }

  /** Waits until HAProxy's health checks see node `index` UP. */
  waitUntilHealthy(index: number): Promise<NodeState> {
    return this.waitForState(index, (status) => status === 'UP', 'UP');
  }

  /** Waits until HAProxy's health checks see node `index` DOWN. */
  waitUntilDown(index: number): Promise<NodeState> {
    return this.waitForState(index, (status) => status === 'DOWN', 'DOWN');
  }

  /**
   * HAProxy's view of every node, from its runtime API (`show stat` on the stats socket): the state its health checks
   * gave each node and the connections it sent there.
   */
  async nodeStates(): Promise<NodeState[]> {
    const csv = await this.runtimeCommand('show stat');
    const [header, ...rows] = csv.split('\n').filter((line) => line.length > 0);
    const columns = header.replace(/^# /, '').split(',');
    const column = (name: string) => columns.indexOf(name);
    return rows
      .map((line) => line.split(','))
      .filter((fields) => fields[column('pxname')] === 'app' && /^node\d+$/.test(fields[column('svname')]))
      .map((fields) => ({
        name: fields[column('svname')],
        status: fields[column('status')],
        currentSessions: Number(fields[column('scur')]),
        totalSessions: Number(fields[column('stot')]),
      }));
  }

  /** Stops Redis (SIGTERM, or `signal`) and starts it again, empty, on the same port. */
  async restartRedis(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.redisPort === undefined) throw new Error('This cluster runs without Redis.');
    if (this.redis) await stopChild(this.redis, signal);
    this.redis = await startRedis(this.redisPort);
  }

  /** Stops Redis without starting it again (restartRedis starts it). */
  async stopRedis(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.redis) await stopChild(this.redis, signal);
    this.redis = null;
  }

  /** What node `index` printed since it started (for a failing test's message). */
  output(index: number): string {
    return this.processes[index]?.output() ?? '(not running)';
  }

  /**
   * Stops everything and removes the temporary folder, whatever state the cluster is in: the apps get SIGTERM and,
   * after 5 s, SIGKILL; then HAProxy and Redis.
   */
  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(async (app) => {
        if (!app) return;
        const timer = setTimeout(() => void app.stop('SIGKILL'), 5_000);
        await app.stop('SIGTERM');
        clearTimeout(timer);
      }),
    );
    this.processes.fill(null);
    if (this.haproxy) await stopChild(this.haproxy, 'SIGTERM');
    this.haproxy = null;
    if (this.redis) await stopChild(this.redis, 'SIGTERM');
    this.redis = null;
    await rm(this.directory, { recursive: true, force: true });
  }

  private async startBalancer(): Promise<void> {
    await writeFile(this.configPath, haproxyConfig(this.balancerPort, this.ports, this.statsSocket));
    // -db: stay in the foreground, as a child of this process, so that stopping it is a signal away.
    const child = spawn(program('haproxy'), ['-db', '-f', this.configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.haproxy = child;
    child.stdout.on('data', (chunk: Buffer) => (this.haproxyOutput += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.haproxyOutput += chunk.toString()));
    const deadline = Date.now() + STATE_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${this.haproxyOutput}`);
      try {
        await this.runtimeCommand('show info');
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error('haproxy did not answer on its stats socket', { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  private async waitForState(index: number, wanted: (status: string) => boolean, what: string): Promise<NodeState> {
    const name = `node${index}`;
    const deadline = Date.now() + STATE_TIMEOUT_MS;
    for (;;) {
      const state = (await this.nodeStates()).find((node) => node.name === name);
      if (state && wanted(state.status)) return state;
      if (Date.now() > deadline)
        throw new Error(`HAProxy did not see ${name} ${what} within ${STATE_TIMEOUT_MS} ms: ${state?.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** One command of HAProxy's runtime API; the socket answers and closes. */
  private runtimeCommand(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.statsSocket);
      let answer = '';
      socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer to "${command}"`)));
      socket.on('connect', () => socket.write(`${command}\n`));
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve(answer));
    });
  }
}

/**
 * Why the multi-process suites cannot run here, or false when they can: they need Debian's `haproxy` (and
 * `redis-server` for the Redis mode). Outside CI a missing program skips them, as a missing Chromium skips the browser
 * suites; in CI (`CI` set, where .ci/run installs both) it is a failure.
 */
export function clusterSkipReason(programs: string[] = ['haproxy']): string | false {
  if (process.env.CI) return false;
  const missing = programs.filter((name) => {
    try {
      program(name);
      return false;
    } catch {
      return true;
    }
  });
  return missing.length === 0
    ? false
    : `${missing.join(' and ')} not installed (apt-get install ${missing.join(' ')}); skipped outside CI`;
}

/** The HAProxy configuration of a local cluster: deploy/haproxy.cfg's settings, with loopback addresses. */
export function haproxyConfig(balancerPort: number, nodePorts: number[], statsSocket: string): string {
  const servers = nodePorts.map((port, index) => `  server node${index} 127.0.0.1:${port} cookie node${index}`);
  return `global
  stats socket ${statsSocket} mode 600 level admin
  maxconn 4096

defaults
  mode http
  option forwardfor
  option redispatch
  retries 3
  retry-on conn-failure empty-response
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  timeout http-request 10s
  timeout http-keep-alive 4s
  timeout queue 5s
  timeout check ${HEALTH_CHECK.timeoutMs / 1000}s

frontend web
  bind 127.0.0.1:${balancerPort}
  default_backend app

backend app
  balance roundrobin
  # A request whose connection closed with no answer at all is sent again only when reading (GET, HEAD): a write may
  # have been applied. One whose connection failed was never sent, and is retried whatever its method.
  http-request disable-l7-retry if !METH_GET
  option httpchk GET /readyz
  http-check expect status 200
  cookie SERVERID insert indirect nocache httponly
  default-server check inter ${HEALTH_CHECK.intervalMs}ms fall ${HEALTH_CHECK.fall} rise ${HEALTH_CHECK.rise}
${servers.join('\n')}
`;
}

/**
 * The path of an installed program: found on PATH, or in the sbin folders, which a user other than root often lacks
 * on PATH while Debian's `haproxy` package installs there.
 */
export function program(name: string): string {
  const folders = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  const found = folders
    .filter(Boolean)
    .map((folder) => path.join(folder, name))
    .find((file) => existsSync(file));
  if (!found) throw new Error(`${name} is not installed (Debian: apt-get install ${name}).`);
  return found;
}

/** A free TCP port on 127.0.0.1 (the kernel's pick; free when answered). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** redis-server on 127.0.0.1:`port`, nothing kept on disk; answers once it accepts connections. */
function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    program('redis-server'),
    ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within 10 s:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
}

/** Signals a child process and waits for its exit. */
function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
