/**
 * Counts the live connections each client address holds open to this process, and refuses one over the limit: each
 * connection is capped (message size, articles followed), and this caps how many one client may open. Per process;
 * behind a load balancer each process counts its own.
 */
export class ConnectionsPerAddress {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Takes a place for this address; false (and nothing taken) when it already holds the limit. */
  take(address: string): boolean {
    const held = this.open.get(address) ?? 0;
    if (held >= this.limit) return false;
    this.open.set(address, held + 1);
    return true;
  }

  /** Gives back a place taken with take(). */
  release(address: string): void {
    const held = this.open.get(address) ?? 0;
    if (held <= 1) this.open.delete(address);
    else this.open.set(address, held - 1);
  }

  /** Addresses holding at least one connection (for tests and diagnostics). */
  get addresses(): number {
    return this.open.size;
  }
}

/** The client's address as HTTP sees it: behind a trusted proxy, the left-most X-Forwarded-For entry. */
export function clientAddress(
  remote: string,
  forwardedFor: string | string[] | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy && forwardedFor) {
    const first = (Array.isArray(forwardedFor) ? forwardedFor[0] : forwardedFor).split(',')[0].trim();
    if (first) return first;
  }
  return remote;
}
