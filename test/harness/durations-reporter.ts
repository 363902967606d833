/**
 * A node:test reporter that writes one JSON line per test file with its wall time: the `test:complete` of the suite
 * that the harness wraps each file in (nesting 0, named after the compiled file, dist/test/x.e2e.js), which spans
 * loading the file and running its tests. The harness reads these lines after the run to print the slowest files.
 */
const TEST_FILE = /^dist\/.+\.(spec|e2e)\.js$/;

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
    if (event.type !== 'test:complete' || !data || data.nesting !== 0 || !data.name || !TEST_FILE.test(data.name))
      continue;
    yield `${JSON.stringify({ file: data.name, ms: data.details?.duration_ms ?? 0 })}\n`;
  }
}
