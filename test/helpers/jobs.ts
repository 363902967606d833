import { type DataSource } from 'typeorm';

/**
 * Waits until the job queue holds no job: every job queued so far has run and been marked done (the worker marks a
 * job done just after its handler returns). A barrier for "nothing more will happen": what a job would have done is
 * done by then. Fails after `timeoutMs`.
 */
export async function untilJobsDone(dataSource: DataSource, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows: { n: string }[] = await dataSource.query('SELECT count(*) AS n FROM graphile_worker.jobs');
    if (rows[0].n === '0') return;
    if (Date.now() > deadline) throw new Error(`${rows[0].n} jobs still queued after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
