import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MAX_SOCKET_MESSAGE_BYTES } from './forum-io.adapter.js';
import { CLIENT_MESSAGE_TYPES, ROOM_EVENT_TYPES, SERVER_EVENT_TYPES } from './event-map.js';
import { JOINS_PER_ADDRESS_PER_MINUTE, JOINS_PER_CONNECTION_PER_MINUTE } from './join-limits.js';
import { MAX_CATCH_UP_BYTES, MAX_CATCH_UP_EVENTS } from './catch-up.js';
import { MAX_FOLLOWED_ARTICLES, MAX_JOINS_IN_FLIGHT, REFUSED } from './follows.js';

/** This spec runs as dist/src/realtime/event-map.spec.js; the document is the repository's own. */
const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'live-protocol.md');

/** The text of a `## title` section, up to the next `## `. */
function section(doc: string, title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `docs/live-protocol.md has no "## ${title}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The names of the `### \`name\`` headings of a section. */
const headings = (text: string) => [...text.matchAll(/^### `([^`]+)`$/gm)].map((m) => m[1]).sort();

describe('docs/live-protocol.md', () => {
  const sut = readFileSync(DOC, 'utf8');

  it('documents every event the server sends, and no other', () => {
    assert.deepEqual(headings(section(sut, 'Server to client events')), [...SERVER_EVENT_TYPES].sort());
  });

  it('documents every message a client may send, and no other', () => {
    assert.deepEqual(headings(section(sut, 'Client to server messages')), [...CLIENT_MESSAGE_TYPES].sort());
  });

  it('says which events are numbered room events', () => {
    const events = section(sut, 'Server to client events');
    for (const type of SERVER_EVENT_TYPES) {
      const text = events.slice(events.indexOf(`### \`${type}\``)).split('\n### ')[0];
      const numbered = text.includes('Room event, numbered');
      assert.equal(numbered, (ROOM_EVENT_TYPES as string[]).includes(type), `${type}: numbered or not`);
    }
  });

  it('quotes every refusal the server answers, word for word', () => {
    for (const sentence of Object.values(REFUSED)) assert.ok(sut.includes(sentence), `not documented: "${sentence}"`);
  });

  it('gives the limits the code enforces', () => {
    const limits: Record<string, number> = {
      MAX_SOCKET_MESSAGE_BYTES,
      MAX_FOLLOWED_ARTICLES,
      MAX_JOINS_IN_FLIGHT,
      JOINS_PER_CONNECTION_PER_MINUTE,
      JOINS_PER_ADDRESS_PER_MINUTE,
      MAX_CATCH_UP_EVENTS,
      MAX_CATCH_UP_BYTES,
    };
    const rows = new Map(
      [...section(sut, 'Limits').matchAll(/^\|[^|]*\| (\d+) \| `([A-Z_]+)` \|$/gm)].map((m) => [m[2], Number(m[1])]),
    );
    assert.deepEqual(Object.fromEntries(rows), limits);
  });
});
