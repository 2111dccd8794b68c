// A TCP proxy in front of PostgreSQL that a test can cut (every connection dropped, new ones
// refused) and restore on the same port: a database outage without stopping the server.
import net from 'node:net';

export async function startProxy(target) {
  const sockets = new Set();
  let server;
  const listen = (port) => new Promise((resolve) => {
    server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
  const port = await listen(0);
  return {
    port,
    async cut() {
      await new Promise((resolve) => { server.close(() => resolve()); for (const s of sockets) s.destroy(); });
    },
    async restore() {
      await listen(port);
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
