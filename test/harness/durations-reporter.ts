/**
 * A node:test reporter that writes one JSON line per test file with its wall time: the runner's own `test:complete`
 * of the file (nesting 0, named after the file), which spans starting its process to its exit. The harness reads
 * these lines after the run to print the slowest files.
 */
interface TestEventData {
  name?: string;
  nesting?: number;
  file?: string;
  details?: { duration_ms?: number };
}

export default async function* durationsReporter(
  source: AsyncIterable<{ type: string; data?: TestEventData }>,
): AsyncGenerator<string> {
  for await (const event of source) {
    const data = event.data;
    if (event.type !== 'test:complete' || !data || data.nesting !== 0 || !data.file || data.name !== data.file)
      continue;
    yield `${JSON.stringify({ file: data.file, ms: data.details?.duration_ms ?? 0 })}\n`;
  }
}
