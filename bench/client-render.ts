import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, type Rollup } from 'vite';
import type { CommentNodeDto } from '../src/comments/dto/comment.dto.js';

/**
 * `npm run bench:client-render`: the time to render 1,000 visible comments with the web client's own thread
 * components (CommentItem under the thread context, the client's stylesheet, Preact as bundled by Vite) in headless
 * Chromium, against inserting the same count of plain DOM nodes in one go. Both figures include the layout the browser
 * must do before it can paint. A benchmark: it prints figures and exits 0 whatever they are; 1 only when something fails.
 */

const COMMENTS = 1_000;
const ROUNDS = 7;
const TARGET_MS = 300;
const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLIENT = path.join(ROOT, 'client');
const RESULTS_FILE = path.join(ROOT, 'bench', 'results', 'client-render.json');

/** The page's script: the real components, mounted by a function the benchmark calls. */
const ENTRY = `
import { render } from 'preact';
import { CommentItem } from ${JSON.stringify(path.join(CLIENT, 'src/components/CommentItem.tsx'))};
import { ThreadContext } from ${JSON.stringify(path.join(CLIENT, 'src/components/thread-context.ts'))};
import ${JSON.stringify(path.join(CLIENT, 'src/styles.css'))};
import { jsx } from 'preact/jsx-runtime';

const context = {
  slug: 'bench', sort: 'best', locked: false, baseDepth: 0,
  me: { id: 'reader', username: 'reader', displayName: 'Reader', role: 'reader' },
  posted() {}, updated() {}, deleted() {}, vote: async () => {}, loadMore: async () => {},
};

window.renderThread = (items) => {
  const host = document.getElementById('host');
  render(null, host);
  const start = performance.now();
  render(
    jsx(ThreadContext.Provider, { value: context, children: jsx('ol', { class: 'thread', children: items.map((n) => jsx(CommentItem, { node: n }, n.id)) }) }),
    host,
  );
  void host.offsetHeight; // the layout before the first paint
  return performance.now() - start;
};

window.insertPlain = (count) => {
  const host = document.getElementById('host');
  host.replaceChildren();
  const start = performance.now();
  const list = document.createElement('ol');
  for (let i = 0; i < count; i++) {
    const li = document.createElement('li');
    li.textContent = 'Comment ' + i;
    list.appendChild(li);
  }
  host.appendChild(list);
  void host.offsetHeight;
  return performance.now() - start;
};
`;

/** 1,000 visible comments: 100 top-level, each with a chain of replies three deep and a few siblings. */
function fixture(): CommentNodeDto[] {
  let id = 0;
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const comment = (depth: number, parentId: string | null): CommentNodeDto => {
    const n = ++id;
    const text = `Comment ${n}: the essay's third section overstates the case for **central planning**; see the figures for 1928.`;
    return {
      id: String(n),
      articleId: '1',
      parentId,
      depth,
      author: { id: `u${n % 50}`, username: `u${n % 50}`, displayName: `Reader ${n % 50}`, role: 'reader' },
      body: text,
      html: `<p>${text.replace(/\*\*(.+?)\*\*/, '<strong>$1</strong>')}</p>`,
      createdAt: at,
      editedAt: n % 7 === 0 ? at : null,
      status: 'visible',
      stance: n % 3 === 0 ? 'agree' : n % 3 === 1 ? 'disagree' : null,
      quote:
        n % 5 === 0
          ? { source: 'article', blockId: 'b1', text: 'A quoted passage of the essay.', verified: true }
          : null,
      quotes: [],
      score: n % 11,
      upvotes: n % 11,
      downvotes: 0,
      myVote: 0,
      following: false,
      removalReason: null,
      featured: false,
      replyCount: 0,
      replies: [],
      moreReplies: 0,
      repliesCursor: null,
    };
  };
  const top: CommentNodeDto[] = [];
  while (id < COMMENTS) {
    const root = comment(0, null);
    top.push(root);
    let parent = root;
    for (let depth = 1; depth <= 3 && id < COMMENTS; depth++) {
      for (let sibling = 0; sibling < 3 && id < COMMENTS; sibling++) {
        const reply = comment(depth, parent.id);
        parent.replies.push(reply);
        parent.replyCount++;
      }
      parent = parent.replies[0];
    }
  }
  return top;
}

function count(nodes: CommentNodeDto[]): number {
  return nodes.reduce((sum, n) => sum + 1 + count(n.replies), 0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function bundle(): Promise<{ js: string; css: string }> {
  const output = (await build({
    configFile: path.join(CLIENT, 'vite.config.mjs'),
    logLevel: 'warn',
    plugins: [
      {
        name: 'bench-entry',
        resolveId: (id) => (id === 'virtual:bench' ? '\0bench' : null),
        load: (id) => (id === '\0bench' ? ENTRY : null),
      },
    ],
    build: {
      write: false,
      outDir: path.join(os.tmpdir(), 'bench-client'),
      // One script: the page is set from a string, where a chunk the entry imports (a lazy component's, one shared
      // with it) could not be fetched.
      rollupOptions: { input: 'virtual:bench', output: { inlineDynamicImports: true } },
    },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[];
  const outputs = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output);
  const js = outputs.find((o): o is Rollup.OutputChunk => o.type === 'chunk' && o.isEntry)?.code;
  const css = outputs.find((o): o is Rollup.OutputAsset => o.type === 'asset' && o.fileName.endsWith('.css'))?.source;
  if (!js) throw new Error('the bench page did not build');
  return { js, css: typeof css === 'string' ? css : css ? Buffer.from(css).toString() : '' };
}

async function main(): Promise<void> {
  const { js, css } = await bundle();
  const items = fixture();
  const total = count(items);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.setContent(
      `<!doctype html><html><head><style>${css}</style></head><body><main><div id="host"></div></main></body></html>`,
    );
    await page.addScriptTag({ content: js, type: 'module' });
    await page.waitForFunction('typeof window.renderThread === "function"');
    const client: number[] = [];
    const plain: number[] = [];
    // One warm-up round each (JIT, style sheet), then the timed rounds, alternating.
    await page.evaluate(`window.renderThread(${JSON.stringify(items)})`);
    await page.evaluate(`window.insertPlain(${total})`);
    for (let round = 0; round < ROUNDS; round++) {
      client.push(await page.evaluate<number>(`window.renderThread(${JSON.stringify(items)})`));
      plain.push(await page.evaluate<number>(`window.insertPlain(${total})`));
    }
    const renderedComments = await page.evaluate<number>(
      `(window.renderThread(${JSON.stringify(items)}), document.querySelectorAll('li.comment').length)`,
    );
    const clientMs = median(client);
    const plainMs = median(plain);
    const results = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
      browser: `${CHROMIUM} ${browser.version()}`,
      comments: total,
      renderedComments,
      rounds: ROUNDS,
      clientRenderMs: { median: round(clientMs), all: client.map(round) },
      plainDomMs: { median: round(plainMs), all: plain.map(round) },
      ratio: round(clientMs / plainMs),
      targetMs: TARGET_MS,
      withinTarget: clientMs <= TARGET_MS,
    };
    console.log(
      `client-render: ${total} comments (${renderedComments} <li class="comment"> in the page), ${ROUNDS} rounds, medians`,
    );
    console.log(
      `  the client's thread components  ${results.clientRenderMs.median.toFixed(1).padStart(8)} ms  (target ≤ ${TARGET_MS} ms: ${results.withinTarget ? 'met' : 'MISSED'})`,
    );
    console.log(`  plain DOM nodes, in one go      ${results.plainDomMs.median.toFixed(1).padStart(8)} ms`);
    console.log(`  ratio                           ${results.ratio.toFixed(1).padStart(8)} ×`);
    await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
    await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`results: ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    await browser.close();
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

// Reading the client's files first makes a missing checkout fail with a plain message.
await readFile(path.join(CLIENT, 'src/components/CommentItem.tsx')).catch(() => {
  throw new Error(`the web client's sources are not at ${CLIENT}`);
});
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
