/**
 * The messages between the embedded discussion and the publisher's page (embed.ts) or the sign-in popup, by type.
 * Plain strings only: the host page's script imports this and must stay small.
 */
export const HEIGHT_MESSAGE = 'essay-forum:height';
export const SCHEME_MESSAGE = 'essay-forum:scheme';
/** What the sign-in popup says to the frame that opened it. */
export const SIGNED_IN_MESSAGE = 'essay-forum:signed-in';
