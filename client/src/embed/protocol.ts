/**
 * The messages between the embedded discussion and the publisher's page (embed.ts) or the sign-in popup, by type.
 * Plain strings only: the host page's script imports this and must stay small.
 */
export const HEIGHT_MESSAGE = 'essay-forum:height';
export const SCHEME_MESSAGE = 'essay-forum:scheme';
/** What the sign-in popup says to the frame that opened it. */
export const SIGNED_IN_MESSAGE = 'essay-forum:signed-in';
/** Frame to page: the essay's blocks, their text folded as quotes are compared, and their comment counts. */
export const BLOCKS_MESSAGE = 'essay-forum:blocks';
/** Page to frame: a passage the reader selected on the page, to quote in a comment. */
export const QUOTE_MESSAGE = 'essay-forum:quote';
/** Page to frame: show the comments on one passage (its count was pressed). */
export const PASSAGE_MESSAGE = 'essay-forum:passage';

/** One block as the page matches it: `text` with runs of white space folded to one space, trimmed. */
export interface HostBlock {
  id: string;
  text: string;
  count: number;
}

/** The folding of quote verification (the server's foldWhiteSpace): runs of white space are one space. */
export function foldWhiteSpace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}
