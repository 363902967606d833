/**
 * The session of the embedded discussion. A frame on another site's page gets no cookie of the forum when the browser
 * blocks third-party cookies (as current ones do), so the sign-in popup hands the frame a token of its own, which it
 * sends as `Authorization: Bearer` and in the live connection's handshake. It lives in the frame's memory and in its
 * sessionStorage (partitioned by the host site, gone with the tab) so that a reload of the host page keeps the reader
 * signed in; where storage is refused (Chromium refuses it to a third-party frame when it blocks third-party
 * cookies), in memory alone. Outside a frame the cookie does all this and no token is held.
 */
const KEY = 'essay-forum.embed-token';

let token: string | null = null;

/** Reads the token a reload of the frame left in sessionStorage (the frame calls it once, at start). */
export function restoreBearerToken(): void {
  try {
    token = sessionStorage.getItem(KEY);
  } catch {
    token = null; // storage refused: the reader signs in again
  }
}

export function bearerToken(): string | null {
  return token;
}

/** Holds the popup's token, or forgets it (signed out, or the server no longer knows it). */
export function setBearerToken(value: string | null): void {
  token = value;
  try {
    if (value === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, value);
  } catch {
    // Kept in memory only.
  }
}

const refusedListeners: (() => void)[] = [];

/** Runs when the server refused the token (see bearerRefused): the frame asks who is signed in now. */
export function onBearerRefused(listener: () => void): void {
  refusedListeners.push(listener);
}

/** The server no longer knows the token (logged out elsewhere, expired): it is forgotten and listeners are told. */
export function bearerRefused(): void {
  setBearerToken(null);
  for (const listener of refusedListeners) listener();
}
