import { type Figures, figures } from '../support/stats.js';
import type { Arrivals, Reader } from '../support/live-reader.js';
import {
  ARTICLE,
  DEFAULTS,
  FLAT_GROWTH,
  type Kind,
  KINDS,
  MAX_PAUSE_MS,
  MIN_PAUSE_MS,
  SAMPLE_EVERY_MS,
  SETTLE_TIMEOUT_MS,
  SHARE_COMMENT,
  SHARE_EDIT,
  SHARE_QUOTED,
  SHARE_REPLY,
} from './settings.js';
import type { Load } from './writers.js';

/** The figures of a run, the verdict, and the printed report. */

export interface RunFacts {
  settings: typeof DEFAULTS;
  machine: { cpus: number; cpuModel: string | null; node: string; postgres: string };
  setup: { quotableBlocks: number; seededComments: number; connectMs: number };
  appExit: number | null | undefined;
  load: Load;
  readers: Reader[];
  arrivals: Arrivals;
  final: { seq: number; presence: number };
  loadMs: number;
  deliveredMs: number;
  memory: { atS: number; rssMb: number }[];
  peakMb: number;
  cpu: { appS: number; soakS: number };
  loopDelayP99Ms: number;
}

/** The mean RSS of the samples between two fractions of the run (at least one sample). */
function windowMean(samples: { rssMb: number }[], from: number, to: number): number {
  const start = Math.min(samples.length - 1, Math.floor(from * samples.length));
  const end = Math.max(start + 1, Math.floor(to * samples.length));
  const window = samples.slice(start, end);
  return Math.round((window.reduce((sum, s) => sum + s.rssMb, 0) / window.length) * 10) / 10;
}

export function summarize(f: RunFacts) {
  const sum = (of: (r: Reader) => number) => f.readers.reduce((total, r) => total + of(r), 0);
  const seconds = (ms: number) => ms / 1000;
  const perSecond = (count: number, ms: number) => Math.round((count / seconds(ms)) * 10) / 10;

  const kinds = Object.fromEntries(
    KINDS.map((kind) => {
      const k = f.load.http.kinds.get(kind) as { sent: number; ok: number; latencies: number[] };
      return [kind, { sent: k.sent, ok: k.ok, latency: figures(k.latencies) }];
    }),
  ) as Record<Kind, { sent: number; ok: number; latency: Figures }>;
  const allLatencies = KINDS.flatMap((k) => (f.load.http.kinds.get(k) as { latencies: number[] }).latencies);
  const writesOk = KINDS.reduce((total, k) => total + kinds[k].ok, 0);
  const unexpected = [...f.load.http.unexpected].map(([status, e]) => ({ status, count: e.count, example: e.example }));

  // Every comment answered 201, at every reader: once; and the time until the last reader had it.
  let missing = 0;
  let duplicated = 0;
  let incomplete = 0;
  const delivery: number[] = [];
  for (const comment of f.load.accepted) {
    const arrival = f.arrivals.of(comment.id);
    missing += arrival.missing;
    duplicated += arrival.duplicated;
    if (arrival.lastAt === null) incomplete += 1;
    else delivery.push(arrival.lastAt - comment.sentAt);
  }
  const acceptedIds = new Set(f.load.accepted.map((c) => c.id));
  const unknownComments = f.arrivals.ids().filter((id) => !acceptedIds.has(id)).length;

  const baselines = new Set(f.readers.map((r) => r.baseline));
  const baseline = f.readers[0]?.baseline ?? 0;
  const notAtFinal = f.readers.filter((r) => r.held !== f.final.seq);
  const live = {
    baseline,
    sameBaseline: baselines.size === 1,
    finalSeq: f.final.seq,
    presenceAtEnd: f.final.presence,
    numbered: f.final.seq - baseline,
    expectedFromAnswers: f.load.expectedEvents,
    readersAtFinal: f.readers.length - notAtFinal.length,
    shortOfFinal: notAtFinal.reduce((total, r) => total + (f.final.seq - (r.held ?? 0)), 0),
    received: sum((r) => r.received),
    applied: sum((r) => r.applied),
    dropped: sum((r) => r.dropped),
    jumps: sum((r) => r.jumps),
    rejoins: sum((r) => r.rejoins),
    fromCatchUp: sum((r) => r.fromCatchUp),
    disconnects: sum((r) => r.disconnects),
    resyncs: sum((r) => r.resyncs),
    joinFailures: sum((r) => r.joinFailures),
    lost: sum((r) => r.lost),
  };

  const warm = windowMean(f.memory, 0.2, 0.4);
  const end = windowMean(f.memory, 0.8, 1);
  const growthMb = Math.round((end - warm) * 10) / 10;
  const growth = warm > 0 ? Math.round(((end - warm) / warm) * 1000) / 10 : 0;

  const failures: string[] = [];
  const fail = (condition: boolean, message: string) => condition && failures.push(message);
  fail(f.appExit !== undefined, `the app exited (code ${f.appExit}) during the run`);
  for (const u of unexpected) fail(true, `${u.count} HTTP answer(s) with status ${u.status || 'none'} (${u.example})`);
  fail(live.disconnects > 0, `${live.disconnects} socket disconnect(s)`);
  fail(live.joinFailures > 0, `${live.joinFailures} join(s) refused or unanswered`);
  fail(live.resyncs > 0, `${live.resyncs} join(s) answered resync: the catch-up could not fill the gap`);
  fail(!live.sameBaseline, `readers started from different seqs: ${[...baselines].join(', ')}`);
  fail(live.lost > 0, `${live.lost} event(s) lost: neither delivered live nor in a catch-up`);
  fail(
    notAtFinal.length > 0,
    `${notAtFinal.length} reader(s) not at the article's final seq ${f.final.seq} after ${SETTLE_TIMEOUT_MS / 1000} s ` +
      `(${live.shortOfFinal} event(s) short in all)`,
  );
  fail(
    live.applied !== live.numbered * f.readers.length,
    `${live.applied} events applied, expected ${live.numbered} × ${f.readers.length} readers`,
  );
  fail(
    live.numbered !== live.expectedFromAnswers,
    `the article numbered ${live.numbered} events, the 2xx answers imply ${live.expectedFromAnswers}`,
  );
  fail(missing > 0, `${missing} comment.created deliveries missing (${incomplete} comment(s) not at every reader)`);
  fail(duplicated > 0, `${duplicated} comment.created deliveries duplicated`);
  fail(unknownComments > 0, `${unknownComments} comment(s) delivered that no writer got a 201 for`);

  return {
    date: new Date().toISOString(),
    machine: f.machine,
    setup: {
      article: ARTICLE,
      seconds: f.settings.seconds,
      readers: f.settings.readers,
      writers: f.settings.writers,
      pacePerWriter: `one action every ${MIN_PAUSE_MS}-${MAX_PAUSE_MS} ms`,
      mix: {
        comment: SHARE_COMMENT,
        reply: SHARE_REPLY - SHARE_COMMENT,
        edit: SHARE_EDIT - SHARE_REPLY,
        vote: 1 - SHARE_EDIT,
        quotedShareOfPosts: SHARE_QUOTED,
      },
      quotableBlocks: f.setup.quotableBlocks,
      seededComments: f.setup.seededComments,
      connectMs: Math.round(f.setup.connectMs),
      processes: 'the app: a child process (node dist/src/main.js); every reader and writer: the soak process',
    },
    http: {
      kinds,
      all: { sent: allLatencies.length, ok: writesOk, latency: figures(allLatencies) },
      unexpected,
      serverErrors: f.load.http.count((s) => s >= 500),
      noAnswer: f.load.http.count((s) => s === 0),
    },
    live,
    comments: {
      accepted: f.load.accepted.length,
      missingDeliveries: missing,
      duplicatedDeliveries: duplicated,
      notAtEveryReader: incomplete,
      unknown: unknownComments,
      deliveryToLastReader: figures(delivery),
    },
    throughput: {
      loadSeconds: Math.round(seconds(f.loadMs) * 10) / 10,
      writesPerSecond: perSecond(writesOk, f.loadMs),
      eventsPerSecond: perSecond(live.numbered, f.loadMs),
      deliveriesPerSecond: perSecond(live.applied, f.deliveredMs),
      deliveredSeconds: Math.round(seconds(f.deliveredMs) * 10) / 10,
    },
    memory: {
      everyS: SAMPLE_EVERY_MS / 1000,
      samples: f.memory.map((s) => ({ atS: Math.round(s.atS * 10) / 10, rssMb: s.rssMb })),
      afterWarmUpMb: warm,
      endMb: end,
      growthMb,
      growthPercent: growth,
      flat: growth < FLAT_GROWTH * 100,
      peakMb: f.peakMb,
    },
    cpu: {
      appSeconds: Math.round(f.cpu.appS * 10) / 10,
      appCoreShare: Math.round((f.cpu.appS / seconds(f.deliveredMs)) * 100) / 100,
      soakSeconds: Math.round(f.cpu.soakS * 10) / 10,
      soakCoreShare: Math.round((f.cpu.soakS / seconds(f.deliveredMs)) * 100) / 100,
      soakEventLoopDelayP99Ms: Math.round(f.loopDelayP99Ms * 10) / 10,
    },
    verdict: { passed: failures.length === 0, failures },
  };
}

export function print(r: ReturnType<typeof summarize>): void {
  const n = (v: number) => v.toLocaleString('en-US');
  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(11);
  const httpRow = (label: string, k: { sent: number; ok: number; latency: Figures }) =>
    `  ${label.padEnd(10)}${n(k.sent).padStart(8)}${n(k.ok).padStart(8)}${n(k.sent - k.ok).padStart(8)}` +
    `${(k.sent / r.throughput.loadSeconds).toFixed(1).padStart(8)}${ms(k.latency.median)}${ms(k.latency.p99)}${ms(k.latency.max)}`;
  const line = (label: string, value: string) => `  ${label.padEnd(68)}${value}`;
  const l = r.live;
  const c = r.comments;
  const m = r.memory;
  const errors = r.http.unexpected.reduce((total, u) => total + u.count, 0);
  console.log(`
Soak: ${r.setup.readers} readers follow ${r.setup.article}, ${r.setup.writers} writers act for ${r.setup.seconds} s (${r.setup.pacePerWriter} each)
  ${r.machine.cpus} CPUs, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres}; ${r.setup.processes}
  mix: ${Math.round(r.setup.mix.comment * 100)}% comments, ${Math.round(r.setup.mix.reply * 100)}% replies, ${Math.round(r.setup.mix.edit * 100)}% edits, ${Math.round(r.setup.mix.vote * 100)}% votes; ${Math.round(r.setup.mix.quotedShareOfPosts * 100)}% of posts quote one of ${r.setup.quotableBlocks} blocks

HTTP writes     sent      2xx   other   per s     median        p99        max
${httpRow('comment', r.http.kinds.comment)}
${httpRow('reply', r.http.kinds.reply)}
${httpRow('edit', r.http.kinds.edit)}
${httpRow('vote', r.http.kinds.vote)}
${httpRow('all', r.http.all)}
  not the expected status: ${errors} (5xx: ${r.http.serverErrors}, no answer: ${r.http.noAnswer})${r.http.unexpected.map((u) => `\n    ${u.count} × ${u.status || 'no answer'}: ${u.example}`).join('')}

Live events (by seq, at every reader)
${line(`events numbered (event_seq ${l.baseline} → ${l.finalSeq})`, `${n(l.numbered)} (the 2xx answers imply ${n(l.expectedFromAnswers)})`)}
${line('readers at the final seq (as told to a reader joining at the end)', `${l.readersAtFinal} / ${r.setup.readers}${l.shortOfFinal ? `, ${n(l.shortOfFinal)} events short` : ''}`)}
${line('events applied, each once and in order', `${n(l.applied)} (expected ${n(l.numbered * r.setup.readers)})`)}
${line('dropped as already held (seq ≤ held)', n(l.dropped))}
${line('jumps (seq > held + 1) → joins with since / events from catch-up', `${n(l.jumps)} → ${n(l.rejoins)} / ${n(l.fromCatchUp)}`)}
${line('disconnects / resync answers / failed joins', `${l.disconnects} / ${l.resyncs} / ${l.joinFailures}`)}
${line('lost', n(l.lost))}
${line(`comment.created of the ${n(c.accepted)} comments answered 201, at every reader`, `missing ${c.missingDeliveries}, duplicated ${c.duplicatedDeliveries}, unknown ${c.unknown}`)}

Throughput and latency
${line('writes answered 2xx per second', r.throughput.writesPerSecond.toFixed(1))}
${line('room events per second (numbered by the article)', r.throughput.eventsPerSecond.toFixed(1))}
${line('events delivered per second (to all readers, until all caught up)', n(r.throughput.deliveriesPerSecond))}
${line('write (HTTP) median / p99', `${r.http.all.latency.median.toFixed(1)} ms / ${r.http.all.latency.p99.toFixed(1)} ms`)}
${line('comment.created: POST sent → the last reader has it, median / p99', `${c.deliveryToLastReader.median.toFixed(1)} ms / ${c.deliveryToLastReader.p99.toFixed(1)} ms (max ${c.deliveryToLastReader.max.toFixed(1)} ms)`)}
${line('CPU: app / soak process (cores busy on average)', `${r.cpu.appCoreShare.toFixed(2)} / ${r.cpu.soakCoreShare.toFixed(2)}`)}
${line('soak process event-loop delay p99', `${r.cpu.soakEventLoopDelayP99Ms.toFixed(1)} ms`)}

App memory (VmRSS every ${m.everyS} s, ${m.samples.length} samples): ${m.samples.map((s) => s.rssMb.toFixed(0)).join(' ')} MB
${line('mean of the 20-40% window / of the last 20%', `${m.afterWarmUpMb.toFixed(1)} MB / ${m.endMb.toFixed(1)} MB`)}
${line('growth', `${m.growthMb >= 0 ? '+' : ''}${m.growthMb.toFixed(1)} MB (${m.growthPercent >= 0 ? '+' : ''}${m.growthPercent.toFixed(1)}%): ${m.flat ? 'flat' : 'NOT flat'} (flat: < ${FLAT_GROWTH * 100}%; reported, not judged); peak ${m.peakMb.toFixed(1)} MB`)}

${r.verdict.passed ? 'PASSED: 0 errors, 0 lost, 0 duplicated' : `FAILED:\n${r.verdict.failures.map((f) => `  - ${f}`).join('\n')}`}`);
}
