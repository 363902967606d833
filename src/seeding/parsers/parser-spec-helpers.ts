/**
 * Test helpers shared by the parser specs (not used by the parsers themselves).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedBlock, ParsedBlockKind, ParsedDocument } from './parsed-document.js';
import { foldWhitespace } from './text-utils.js';

/** Reads a source document; tests run from the project root. */
export function readSeedDocument(fileName: string): string {
  return readFileSync(join(process.cwd(), 'seeds', 'documents', fileName), 'utf8');
}

export function contentsOf(document: ParsedDocument, kind: ParsedBlockKind): string[] {
  return document.blocks.filter((block) => block.kind === kind).map((block) => block.content);
}

export function blockStartingWith(document: ParsedDocument, prefix: string): ParsedBlock {
  const found = document.blocks.filter((block) => block.content.startsWith(prefix));
  assert.equal(found.length, 1, `expected one block starting with ${JSON.stringify(prefix)}`);
  return found[0];
}

/**
 * The rules every parser keeps: no empty block, non-list content on one folded line, no block repeated, and
 * every block (every list item) is the author's text word for word.
 */
export function assertBlocksAreTidyAndVerbatim(document: ParsedDocument, source: string): void {
  const foldedSource = foldWhitespace(source);
  const seen = new Set<string>();
  for (const block of document.blocks) {
    assert.notEqual(block.content.trim(), '', 'empty block');
    const key = `${block.kind}:${block.content}`;
    assert.ok(!seen.has(key), `repeated block ${key.slice(0, 80)}`);
    seen.add(key);
    const pieces = block.kind === 'list' ? block.content.split('\n') : [block.content];
    for (const piece of pieces) {
      assert.equal(piece, foldWhitespace(piece), `not folded: ${piece.slice(0, 80)}`);
      assert.ok(foldedSource.includes(piece), `not verbatim from the source: ${piece.slice(0, 80)}`);
    }
  }
}
