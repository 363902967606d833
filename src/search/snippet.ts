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

/**
 * Whether the headline leaves out text before its first fragment and after its last one, from the text's first and
 * last {@link SOURCE_EDGE_CHARS} characters: a fragment starts the text when the text's first words are the
 * fragment's (punctuation aside: ts_headline drops it at the ends).
 */
export function cutEnds(headline: string, textStart: string, textEnd: string): { before: boolean; after: boolean } {
  const fragments = headline.split(FRAGMENT_DELIMITER);
  const first = wordsOf(fragments[0]).slice(0, EDGE_WORDS);
  const last = wordsOf(fragments[fragments.length - 1]).slice(-EDGE_WORDS);
  const start = wordsOf(textStart).slice(0, first.length);
  const end = last.length > 0 ? wordsOf(textEnd).slice(-last.length) : [];
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((word, i) => word === b[i]);
  return { before: first.length > 0 && !same(first, start), after: last.length > 0 && !same(last, end) };
}

/**
 * ts_headline's output as html: everything escaped (its output is text, which may hold anything a comment held), the
 * markers turned into `<mark>` and `</mark>`, always balanced (a stray end is dropped, an open mark closed); an
 * ellipsis where the headline leaves out the text's start or end ({@link cutEnds}).
 */
export function snippetHtml(headline: string, cut: { before: boolean; after: boolean } = NOT_CUT): string {
  let html = cut.before ? '… ' : '';
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
  return cut.after ? `${html} …` : html;
}

const NOT_CUT = { before: false, after: false };
