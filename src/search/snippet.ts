/**
 * ts_headline marks matched words with these two characters (Unicode private use, which no text of the forum needs):
 * the text handed to it has them taken out first (SNIPPET_SOURCE_SQL), so every one in its output is a marker.
 */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';
const FRAGMENT_DELIMITER = ' … ';

/**
 * The ts_headline options: short fragments around the matches, bounded whatever the length of the text. ShortWord=0
 * keeps the words at a fragment's ends as they stand in the text (with the default, "The revolution ended." became
 * "revolution ended"), so that {@link snippetHtml} can tell a fragment that begins or ends the text from a cut one.
 */
export const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, ShortWord=0, MaxFragments=2, FragmentDelimiter="${FRAGMENT_DELIMITER}"`;

/** How many characters of the text's start and end the query hands back beside the headline (see {@link cutEnds}). */
export const SOURCE_EDGE_CHARS = 300;

/** SQL that takes the two markers out of a text column before ts_headline sees it. */
export function withoutMarkers(column: string): string {
  return `translate(${column}, '${MARK_START}${MARK_END}', '')`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The words of a text, as the ends of a headline and of its text are compared: letters and digits, nothing else. */
function wordsOf(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Words compared at each end: enough that a phrase repeated in the text rarely misleads. */
const EDGE_WORDS = 6;

/** Where a headline leaves the text out, and the punctuation it dropped at the ends it keeps. */
export interface SnippetEnds {
  /** Text left out before the first fragment. */
  before: boolean;
  /** Text left out after the last fragment. */
  after: boolean;
  /** What the text has before its first word (an opening quotation mark, say), when the headline starts the text. */
  lead?: string;
  /** What the text has after its last word (its full stop), when the headline ends the text. */
  tail?: string;
}

/** The most punctuation put back at an end: a closing quote and a full stop, not a line of symbols. */
const MAX_EDGE_MARKS = 4;

/** The characters of `edge` that are not words, trimmed; nothing when there are more than a few. */
function marksOf(edge: string): string {
  const marks = edge.trim();
  return [...marks].length <= MAX_EDGE_MARKS ? marks : '';
}

/**
 * Whether the headline leaves out text before its first fragment and after its last one, from the text's first and
 * last {@link SOURCE_EDGE_CHARS} characters: a fragment starts the text when the text's first words are the
 * fragment's (punctuation aside: ts_headline drops it at the ends, and the ends it keeps get it back, so that a
 * snippet that is a whole sentence reads as one: "The revolution ended.", not "The revolution ended").
 */
export function cutEnds(headline: string, textStart: string, textEnd: string): SnippetEnds {
  const fragments = headline.split(FRAGMENT_DELIMITER);
  const first = wordsOf(fragments[0]).slice(0, EDGE_WORDS);
  const last = wordsOf(fragments[fragments.length - 1]).slice(-EDGE_WORDS);
  const start = wordsOf(textStart).slice(0, first.length);
  const end = last.length > 0 ? wordsOf(textEnd).slice(-last.length) : [];
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((word, i) => word === b[i]);
  const before = first.length > 0 && !same(first, start);
  const after = last.length > 0 && !same(last, end);
  return {
    before,
    after,
    lead: before ? '' : marksOf(/^[^\p{L}\p{N}]*/u.exec(textStart)?.[0] ?? ''),
    tail: after ? '' : marksOf(/[^\p{L}\p{N}]*$/u.exec(textEnd)?.[0] ?? ''),
  };
}

/**
 * ts_headline's output as html: everything escaped (its output is text, which may hold anything a comment held), the
 * markers turned into `<mark>` and `</mark>`, always balanced (a stray end is dropped, an open mark closed); an
 * ellipsis where the headline leaves out the text's start or end, and the punctuation it dropped at an end it keeps
 * ({@link cutEnds}).
 */
export function snippetHtml(headline: string, cut: SnippetEnds = NOT_CUT): string {
  const plain = cut.lead || cut.tail ? [...headline].filter((ch) => ch !== MARK_START && ch !== MARK_END).join('') : '';
  const lead = cut.lead && !plain.startsWith(cut.lead) ? cut.lead : '';
  const tail = cut.tail && !plain.endsWith(cut.tail) ? cut.tail : '';
  let html = cut.before ? '… ' : escape(lead);
  let open = false;
  for (const ch of headline) {
    if (ch === MARK_START) {
      if (!open) html += '<mark>';
      open = true;
    } else if (ch === MARK_END) {
      if (open) html += '</mark>';
      open = false;
    } else {
      html += ESCAPES[ch] ?? ch;
    }
  }
  if (open) html += '</mark>';
  return cut.after ? `${html} …` : html + escape(tail);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

const NOT_CUT: SnippetEnds = { before: false, after: false };
