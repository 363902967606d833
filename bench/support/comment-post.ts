import http from 'node:http';

/** The comment the write benches post: emphasis, a block quote, a numbered list, a link, inline code (369 bytes). */
export const MARKDOWN_COMMENT = [
  'The essay treats the archive as **neutral**, but its own evidence shows that _somebody_ chose what to keep.',
  '',
  '> If the collection was curated by the institution whose history it records, silence is not evidence.',
  '',
  'Two things follow:',
  '',
  '1. the gaps are a record of decisions, see [the appendix](https://example.org/appendix#gaps);',
  '2. the `finding aid` is itself an argument.',
].join('\n');

/**
 * Posts a comment through the app's HTTP API on a keep-alive agent, and resolves once the whole answer has arrived
 * (rejects on anything but 201, with the start of the answer). `headers` adds to the request's own.
 */
export function postComment(
  agent: http.Agent,
  port: number,
  slug: string,
  token: string,
  comment: { body: string; parentId?: string | null },
  headers: Record<string, string> = {},
): Promise<void> {
  const payload = JSON.stringify(
    comment.parentId ? { body: comment.body, parentId: comment.parentId } : { body: comment.body },
  );
  return new Promise<void>((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/articles/${slug}/comments`,
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload),
          Authorization: `Bearer ${token}`,
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 201) resolve();
          else
            reject(
              new Error(`POST answered ${response.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 200)}`),
            );
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}
