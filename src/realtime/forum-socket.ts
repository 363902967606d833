import { type Socket } from 'socket.io';
import { type Viewer } from '../auth/viewer.js';
import { type JoinWindow } from './join-limits.js';

/** What the server keeps on each live connection, set by the connection middlewares and the follow service. */
export interface SocketData {
  /** The client's address, as the rate limits see it (set by the connection admission). */
  address: string;
  viewer: Viewer;
  /** The session the connection was opened with (token or cookie); none for anonymous readers. */
  session: { id: string; expiresAt: Date } | null;
  /** Articles this socket follows: id by slug. */
  following: Map<string, string>;
  /** Joins being answered (looked up in the database) right now. */
  joinsInFlight: number;
  /** Joins counted in the current minute, for the join rate limit. */
  joins: JoinWindow;
}

export type ForumSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;
