import MarkdownIt from 'markdown-it';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import sanitizeHtml from 'sanitize-html';
import { MENTIONS_MAX, USERNAME_MAX, USERNAME_MIN } from '../limits.js';

/** Raw HTML off: `<script>` in Markdown stays text. Links are made from bare URLs. */
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

/**
 * `@name` at the start of a text or after white space: a name is a username's characters, and a longer run of them
 * (`@ab…` past 32 characters) is no mention at all rather than a mention of its first 32.
 */
const MENTION = new RegExp(`(^|\\s)@([A-Za-z0-9_-]{${USERNAME_MIN},${USERNAME_MAX}})(?![A-Za-z0-9_-])`, 'g');
/** The class of a mention link: what the sanitiser lets through on a link, and what marks one in stored html. */
const MENTION_CLASS = 'mention';
/**
 * A mention link in sanitised html (as renderMarkdown writes it), its group the username it names: a pattern that
 * JavaScript and PostgreSQL read alike, for the notification fan-out reads the names of stored html in SQL.
 */
export const MENTION_LINK_PATTERN = '<a href="/users/([A-Za-z0-9_-]+)" class="mention">';

interface RenderEnvironment {
  /** lower-case name -> the username as registered, for the names that may be linked. */
  mentions?: ReadonlyMap<string, string>;
}

markdown.core.ruler.push('mentions', (state: StateCore) => {
  const known = (state.env as RenderEnvironment).mentions;
  if (!known || known.size === 0) return;
  for (const block of state.tokens) {
    if (block.type === 'inline' && block.children) block.children = linkMentions(state, block.children, known);
  }
});

/** The inline tokens with each `@name` of a known user, outside links and code, made a link to that user's page. */
function linkMentions(state: StateCore, tokens: Token[], known: ReadonlyMap<string, string>): Token[] {
  const out: Token[] = [];
  let linkDepth = 0;
  for (const [index, token] of tokens.entries()) {
    if (token.type === 'link_open') linkDepth++;
    if (token.type === 'link_close') linkDepth--;
    if (token.type !== 'text' || linkDepth > 0) {
      out.push(token);
      continue;
    }
    // A text run right after emphasis or code does not start after white space: "**x**@name" is no mention.
    const previous = tokens[index - 1];
    const startsClear =
      !previous || previous.type === 'softbreak' || previous.type === 'hardbreak' || /\s$/.test(previous.content);
    const text = token.content;
    let cursor = 0;
    for (const match of text.matchAll(MENTION)) {
      const [, space, typed] = match;
      const username = known.get(typed.toLowerCase());
      if (!username || (match.index === 0 && space === '' && !startsClear)) continue;
      const at = match.index + space.length;
      if (at > cursor) out.push(textToken(state, text.slice(cursor, at)));
      const open = new state.Token('link_open', 'a', 1);
      open.attrs = [
        ['href', `/users/${username}`],
        ['class', MENTION_CLASS],
      ];
      out.push(open, textToken(state, `@${typed}`), new state.Token('link_close', 'a', -1));
      cursor = at + 1 + typed.length;
    }
    if (cursor === 0) out.push(token);
    else if (cursor < text.length) out.push(textToken(state, text.slice(cursor)));
  }
  return out;
}

function textToken(state: StateCore, content: string): Token {
  const token = new state.Token('text', '', 0);
  token.content = content;
  return token;
}

/**
 * The names a body may mention (lower case, each once, the first MENTIONS_MAX in order): a superset of what
 * renderMarkdown links, since code is not told apart here. The caller looks them up and passes the existing ones in.
 */
export function mentionCandidates(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(MENTION)) {
    names.add(match[2].toLowerCase());
    if (names.size === MENTIONS_MAX) break;
  }
  return [...names];
}

const LINK_REL = 'nofollow ugc noopener';

/** What may survive in rendered html: formatting and links, no scripts, styles, event handlers or embedded media. */
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'b',
    'i',
    's',
    'del',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'hr',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
  ],
  allowedAttributes: { a: ['href', 'rel', 'class'], ol: ['start'] },
  allowedClasses: { a: [MENTION_CLASS] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    // A mention is a link to a page of the forum itself: no rel. Markdown cannot set a class, so only the renderer's
    // own mention links carry this one.
    a: (tagName, attribs) =>
      attribs.class === MENTION_CLASS && attribs.href?.startsWith('/users/')
        ? { tagName, attribs }
        : { tagName, attribs: { ...attribs, rel: LINK_REL } },
  },
  exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href,
};

/**
 * Markdown → sanitised html (block level). `mentions` (lower-case name -> username as registered) names the users an
 * `@name` may link to: `<a href="/users/<username>" class="mention">@name</a>`, the text as typed; not inside code
 * or an existing link. The caller looks them up (see mentionCandidates): this layer knows no users.
 */
export function renderMarkdown(source: string, mentions?: ReadonlyMap<string, string>): string {
  const environment: RenderEnvironment = { mentions };
  return sanitize(markdown.render(source, environment));
}

/** Inline Markdown (emphasis, links, code) → sanitised html without a wrapping paragraph. */
export function renderInlineMarkdown(source: string): string {
  return sanitize(markdown.renderInline(source));
}

export function sanitize(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS).trim();
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The words a reader sees in a piece of html: tags dropped, entities decoded, white space folded. */
export function htmlToText(html: string): string {
  const text = sanitizeHtml(html.replace(/<\/(p|li|h[1-6]|blockquote|pre)>/g, '$&\n').replace(/<br\s*\/?>/g, '\n'), {
    allowedTags: [],
    allowedAttributes: {},
  });
  return decodeEntities(text)
    .split('\n')
    .map((line) => foldWhiteSpace(line))
    .filter((line) => line.length > 0)
    .join('\n');
}

/** Runs of white space → one space, trimmed: the form in which quotes are compared. */
export function foldWhiteSpace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** The entities sanitize-html and markdown-it write, and numeric references: enough to read our own html back. */
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  '#39': "'",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+|#39);/gi, (whole, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return NAMED_ENTITIES[lower] ?? whole;
  });
}
