/**
 * ts_headline marks matched words with these two characters (Unicode private use, which no text of the forum needs):
 * the text handed to it has them taken out first (SNIPPET_SOURCE_SQL), so every one in its output is a marker.
 */
export const MARK_START = '\uE000';
export const MARK_END = '\uE001';

/** The ts_headline options: short fragments around the matches, bounded whatever the length of the text. */
export const HEADLINE_OPTIONS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, ShortWord=3, MaxFragments=2, FragmentDelimiter=" … "`;

/** SQL that takes the two markers out of a text column before ts_headline sees it. */
export function withoutMarkers(column: string): string {
  return `translate(${column}, '${MARK_START}${MARK_END}', '')`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * ts_headline's output as html: everything escaped (its output is text, which may hold anything a comment held), the
 * markers turned into `<mark>` and `</mark>`, always balanced (a stray end is dropped, an open mark closed).
 */
export function snippetHtml(headline: string): string {
  let html = '';
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
  return open ? `${html}</mark>` : html;
}
