/**
 * What a request tells about the page that sent it. Each caller passes the evidence it trusts: an HTTP write passes
 * its Referer (a fallback when the browser sent no Origin), a Socket.IO handshake passes Sec-Fetch-Site instead (a
 * same-origin polling GET carries no Origin).
 */
export interface RequestSource {
  /** The Origin header. */
  origin?: string;
  /** The Referer header; its origin stands in for a missing Origin. */
  referer?: string;
  /** The Sec-Fetch-Site header; `same-origin` stands in when neither Origin nor Referer names an origin. */
  secFetchSite?: string | string[];
  /** The Host header the request came with: the server's own origin is this host... */
  host?: string;
  /** ...under one of these schemes (`http`, `https`). */
  schemes: readonly string[];
}

/**
 * The one origin policy of HTTP and live connections: the request comes from one of our own pages when the origin it
 * names (its Origin, else its Referer's origin) is the server's own (the request's Host under one of `schemes`) or one
 * of PUBLIC_ORIGINS; when it names none, only a browser's `Sec-Fetch-Site: same-origin` says it does.
 */
export function fromOwnOrigin(source: RequestSource, publicOrigins: readonly string[]): boolean {
  const origin = source.origin ?? originOf(source.referer);
  if (!origin) return source.secFetchSite === 'same-origin';
  const host = source.host ?? '';
  return source.schemes.some((scheme) => origin === `${scheme}://${host}`) || publicOrigins.includes(origin);
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
