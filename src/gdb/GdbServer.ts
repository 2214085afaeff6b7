import { createServer, type Server, type Socket } from 'node:net';
import { InputError } from '../../dts/model/SourcePos.ts';

/**
 * The TCP listener of the gdb stub: 127.0.0.1 only (a debugger can read and
 * write all of the board's memory, so it is never offered to the network),
 * one debugger at a time.
 */
export class GdbServer {
  private current: Socket | null = null;

  private constructor(
    private readonly server: Server,
    /** The port listened on (the one asked for, or the one the system chose for port 0). */
    readonly port: number,
  ) {}

  /** Listen on 127.0.0.1:`port`; a port in use (or not allowed) is bad input. */
  static listen(port: number, onConnection: (socket: Socket) => void): Promise<GdbServer> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      const failed = (e: NodeJS.ErrnoException): void => {
        const why =
          e.code === 'EADDRINUSE' ? 'is already in use' : e.code === 'EACCES' ? 'may not be used by this user' : `cannot be listened on (${e.message})`;
        reject(new InputError([{ severity: 'error', message: `--gdb ${port}: port ${port} on 127.0.0.1 ${why}` }]));
      };
      server.once('error', failed);
      server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
        server.off('error', failed);
        const address = server.address();
        const gdb = new GdbServer(server, typeof address === 'object' && address !== null ? address.port : port);
        server.on('connection', (socket) => gdb.accept(socket, onConnection));
        // Errors after listening (a socket reset…) must never end the run.
        server.on('error', () => {});
        resolve(gdb);
      });
    });
  }

  private accept(socket: Socket, onConnection: (socket: Socket) => void): void {
    socket.on('error', () => socket.destroy());
    if (this.current !== null) {
      // One debugger at a time: the second one is told nothing and closed.
      socket.destroy();
      return;
    }
    this.current = socket;
    socket.setNoDelay(true);
    socket.once('close', () => {
      if (this.current === socket) this.current = null;
    });
    onConnection(socket);
  }

  /** Stop listening and close the debugger's connection (after what was written to it has gone out). */
  close(): Promise<void> {
    const socket = this.current;
    // Once our side is flushed the connection is dropped, whether or not the debugger closes its side.
    socket?.end(() => socket.destroy());
    this.current = null;
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
