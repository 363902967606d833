import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: every benchmark, one after the other in this process's machine, then one table of their targets
 * and verdicts, read from the figures each writes to bench/results/. A benchmark that cannot run here (no Chromium,
 * no HAProxy) is listed as skipped with the reason; one that fails is listed as failed, and the run goes on. It exits
 * 1 only when a benchmark failed, never for a missed target: the figures are for people to read.
 */

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.resolve(HERE, '..', '..', 'bench', 'results');

interface Verdict {
  what: string;
  figure: string;
  target: string;
  met: boolean;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const x = (value: number) => `${value.toFixed(2)}×`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Each benchmark, what it needs, and how its written figures read against its targets. */
const BENCHES: { name: string; needs?: string; verdicts: (r: Json) => Verdict[] }[] = [
  {
    name: 'thread-read',
    verdicts: (r) => [
      {
        what: 'thread page, app/raw median',
        figure: x(r.ratios.interleaved.median),
        target: `≤ ${r.targets.ratio}×`,
        met: r.verdict.medianRatio,
      },
      {
        what: 'thread page, app/raw p99',
        figure: x(r.ratios.interleaved.p99),
        target: `≤ ${r.targets.ratio}×`,
        met: r.verdict.p99Ratio,
      },
      {
        what: 'thread page, app median',
        figure: ms(r.interleaved.app.median),
        target: `≤ ${r.targets.appMedianMs} ms`,
        met: r.verdict.appMedian,
      },
    ],
  },
  {
    name: 'cache',
    verdicts: (r) => [
      {
        what: 'cached first page / uncached, throughput',
        figure: x(r.speedUp.browser),
        target: `≥ ${r.target.speedUp}×`,
        met: r.verdict.speedUp,
      },
    ],
  },
  {
    name: 'write',
    verdicts: (r) =>
      [1, 8].map((writers) => ({
        what: `posting, ${writers} writer${writers > 1 ? 's' : ''}, app/raw throughput`,
        figure: x(r[`writers${writers}`].throughputRatio),
        target: `≥ ${r.target}×`,
        met: r[`writers${writers}`].throughputRatio >= r.target,
      })),
  },
  {
    name: 'notify',
    verdicts: (r) => [
      {
        what: 'posting with 1,000 followers / none, median latency',
        figure: x(r.latencyRatio),
        target: `≤ ${r.target}×`,
        met: r.latencyRatio <= r.target,
      },
      {
        what: 'posting without / with followers, throughput',
        figure: x(r.throughputRatio),
        target: `≤ ${r.target}×`,
        met: r.throughputRatio <= r.target,
      },
    ],
  },
  {
    name: 'fanout',
    verdicts: (r) => [
      {
        what: 'fan-out to 1,000, app/raw throughput, sequential',
        figure: x(r.ratios.sequential.throughput),
        target: `≥ ${r.targets.throughputRatio}×`,
        met: r.verdict.throughputSequential,
      },
      {
        what: 'fan-out to 1,000, app/raw throughput, in flight',
        figure: x(r.ratios.concurrent.throughput),
        target: `≥ ${r.targets.throughputRatio}×`,
        met: r.verdict.throughputConcurrent,
      },
      {
        what: 'fan-out to 1,000, app/raw p99, sequential',
        figure: x(r.ratios.sequential.p99),
        target: `≤ ${r.targets.latencyP99Ratio}×`,
        met: r.verdict.p99Sequential,
      },
      {
        what: 'fan-out to 1,000, app/raw p99, in flight',
        figure: x(r.ratios.concurrent.p99),
        target: `≤ ${r.targets.latencyP99Ratio}×`,
        met: r.verdict.p99Concurrent,
      },
      {
        what: 'one emit to 1,000, app/raw p99',
        figure: x(r.ratios.emit.p99),
        target: `≤ ${r.targets.emitP99Ratio}×`,
        met: r.verdict.emitP99,
      },
      {
        what: 'app RSS with 1,000 followers',
        figure: `${r.memory.withFollowers.app.rssMb.toFixed(0)} MB`,
        target: `≤ ${r.targets.rssMb} MB`,
        met: r.verdict.rss,
      },
      {
        what: 'connect + join 1,000 followers, app/raw',
        figure: x(r.ratios.connect),
        target: `≤ ${r.targets.connectRatio}×`,
        met: r.verdict.connect,
      },
    ],
  },
  {
    name: 'reanchor',
    verdicts: (r) => [
      {
        what: 'revising an essay with 1,000 quotes, median',
        figure: ms(r.withQuotes.median),
        target: `< ${r.targetMs} ms`,
        met: r.withQuotes.median < r.targetMs,
      },
    ],
  },
  {
    name: 'search',
    verdicts: (r) =>
      (r.queries as Json[]).flatMap((q, i) => [
        {
          what: `search ${q.label}, app/raw median`,
          figure: x(q.ratios.interleaved.median),
          target: `≤ ${r.targets.ratio}×`,
          met: r.verdict[i].medianRatio,
        },
        {
          what: `search ${q.label}, app median`,
          figure: ms(q.interleaved.app.median),
          target: `≤ ${r.targets.appMedianMs} ms`,
          met: r.verdict[i].appMedian,
        },
      ]),
  },
  {
    name: 'client-render',
    needs: '/usr/bin/chromium',
    verdicts: (r) => [
      {
        what: 'rendering the thread in the browser, median',
        figure: ms(r.clientRenderMs.median),
        target: `≤ ${r.targetMs} ms`,
        met: r.withinTarget,
      },
    ],
  },
  {
    name: 'scale',
    needs: 'haproxy',
    verdicts: (r) => [
      {
        what: '3 processes / 1, posts per second',
        figure: x(r.ratios.throughput),
        target: `≥ ${r.targets.throughputRatio}×`,
        met: r.verdict.throughput,
      },
      {
        what: '3 processes / 1, delivery p99',
        figure: x(r.ratios.deliveryP99),
        target: `≤ ${r.targets.deliveryP99Ratio}×`,
        met: r.verdict.deliveryP99,
      },
      {
        what: 'reorders across processes',
        figure: String(r.one.reorders + r.three.reorders),
        target: '0',
        met: r.verdict.reorders,
      },
    ],
  },
];

/** Whether a program is there: a path, or a name on the PATH. */
function found(program: string): boolean {
  if (program.includes('/')) return existsSync(program);
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => existsSync(path.join(dir, program)));
}

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  const rows: { bench: string; state: string; verdicts: Verdict[] }[] = [];
  for (const bench of BENCHES.filter((b) => only.length === 0 || only.includes(b.name))) {
    if (bench.needs && !found(bench.needs)) {
      rows.push({ bench: bench.name, state: `skipped: ${bench.needs} is not installed`, verdicts: [] });
      continue;
    }
    console.log(`\n=== bench:${bench.name}`);
    const started = Date.now();
    const run = spawnSync(process.execPath, [path.join(HERE, `${bench.name}.js`)], { stdio: 'inherit' });
    const took = `${Math.round((Date.now() - started) / 1000)} s`;
    if (run.status !== 0) {
      rows.push({ bench: bench.name, state: `FAILED (exit ${run.status ?? run.signal}) after ${took}`, verdicts: [] });
      continue;
    }
    const results = JSON.parse(await readFile(path.join(RESULTS, `${bench.name}.json`), 'utf8')) as Json;
    rows.push({ bench: bench.name, state: took, verdicts: bench.verdicts(results) });
  }

  console.log('\nSummary (figures from this run; targets as the issues set them)');
  const width = Math.max(...rows.flatMap((r) => r.verdicts.map((v) => v.what.length)), 20);
  for (const row of rows) {
    console.log(`\n  ${row.bench} (${row.state})`);
    for (const v of row.verdicts)
      console.log(
        `    ${v.what.padEnd(width)}  ${v.figure.padStart(10)}  target ${v.target.padEnd(10)} ${v.met ? 'met' : 'MISSED'}`,
      );
  }
  const verdicts = rows.flatMap((r) => r.verdicts);
  console.log(
    `\n  ${verdicts.filter((v) => v.met).length} of ${verdicts.length} targets met; ` +
      `${rows.filter((r) => r.state.startsWith('FAILED')).length} benchmarks failed, ` +
      `${rows.filter((r) => r.state.startsWith('skipped')).length} skipped`,
  );
  return rows.some((r) => r.state.startsWith('FAILED')) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
