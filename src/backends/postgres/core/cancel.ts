/**
 * Cancels the statement running on a connection with PostgreSQL's CancelRequest: a separate,
 * unauthenticated connection that carries the backend's process id and secret key. Unlike
 * `pg_cancel_backend()` it needs no free pool connection, so it works when the pool is exhausted.
 */
import net from 'node:net';
import { internals, type PgConnection } from './connections';

const CANCEL_REQUEST_CODE = 80877102;
/** How long the cancel connection may take before it is given up (the server may be gone). */
const CANCEL_SOCKET_MS = 5000;

export function sendCancel(conn: PgConnection): void {
  const { processID, secretKey, host, port } = internals(conn.client);
  if (processID === null || secretKey === null) return;
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processID, 8);
  packet.writeInt32BE(secretKey, 12);
  const socket = host.startsWith('/') ? net.connect(`${host}/.s.PGSQL.${port}`) : net.connect(port, host);
  socket.unref();
  socket.setTimeout(CANCEL_SOCKET_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  // As libpq does: write the request and let the server close the connection. Half-closing it at
  // once (end(packet)) crashes PgBouncer 1.18 while it forwards the cancel ("bad client state").
  socket.on('connect', () => socket.write(packet));
  socket.on('end', () => socket.destroy());
}
