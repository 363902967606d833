import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** One GET on a keep-alive connection; the whole body is read. Anything but a 200 is an error. */
export function getPage(agent: http.Agent, url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        if (response.statusCode !== 200)
          reject(new Error(`GET ${url} answered ${response.statusCode}: ${body.toString('utf8').slice(0, 300)}`));
        else resolve(body);
      });
    });
    request.on('error', reject);
  });
}

/** `run` `count` times one after another: each run's wall time in milliseconds. */
export async function time(count: number, run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}
