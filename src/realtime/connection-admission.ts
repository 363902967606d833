import { Injectable } from '@nestjs/common';
import { type Server } from 'socket.io';
import { AppConfig } from '../config/app-config.js';
import { ConnectionsPerAddress, clientAddress } from './connections-per-address.js';
import { type ForumSocket } from './forum-socket.js';

/**
 * The first connection middleware: a connection is counted against its client address before anything else is done
 * for it (LIVE_CONNECTIONS_PER_ADDRESS), refused over the limit, and its place given back when its transport closes,
 * whatever happens to the handshake after this. Leaves the address on the connection for the join limits.
 */
@Injectable()
export class ConnectionAdmission {
  private readonly perAddress: ConnectionsPerAddress;

  constructor(private readonly config: AppConfig) {
    this.perAddress = new ConnectionsPerAddress(config.liveConnectionsPerAddress);
  }

  attach(server: Server): void {
    server.use((socket, next) => this.admit(socket as ForumSocket, next));
  }

  private admit(socket: ForumSocket, next: (error?: Error) => void): void {
    const { address: remote, headers } = socket.handshake;
    const address = clientAddress(remote, headers['x-forwarded-for'], this.config.trustProxy);
    if (!this.perAddress.take(address)) {
      next(new Error(`too many live connections from one address (at most ${this.config.liveConnectionsPerAddress})`));
      return;
    }
    socket.conn.once('close', () => this.perAddress.release(address));
    socket.data.address = address;
    next();
  }
}
