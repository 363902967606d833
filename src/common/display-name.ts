/**
 * Display names are shown beside everyone's comments, so they must not be able to pass for someone else by hiding
 * characters: no control characters, no format characters (Unicode category Cf: zero-width spaces and joiners,
 * bidi overrides, isolates and marks, soft hyphen, byte-order mark, tag characters), nothing else Unicode marks as
 * "default ignorable" (invisible: Hangul fillers, the combining grapheme joiner, variation selectors), no blank
 * lookalikes (the braille blank), no white space but the plain space (no-break, ideographic, line and paragraph
 * separators), no private-use or unpaired surrogate code points.
 * Emoji keep working: a zero-width joiner between two emoji and a variation selector right after one are part of
 * the emoji, not a trick.
 */
const EMOJI_JOINER =
  /(\p{Extended_Pictographic}(?:\u{FE0E}|\u{FE0F}|[\u{1F3FB}-\u{1F3FF}])?)\u{200D}(?=\p{Extended_Pictographic})/gu;
const EMOJI_PRESENTATION = /(\p{Extended_Pictographic}|[#*0-9])[\u{FE0E}\u{FE0F}]/gu;
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u{2800}]|[^\S ]/u;

/** The first character a display name may not hold, as `U+XXXX`; null when there is none. */
export function findHiddenCharacter(name: string): string | null {
  const rest = name.replace(EMOJI_JOINER, '$1').replace(EMOJI_PRESENTATION, '$1');
  const found = HIDDEN.exec(rest);
  if (!found) return null;
  const code = found[0].codePointAt(0) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
