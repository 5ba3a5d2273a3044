import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP proxy a test can cut, to make PostgreSQL or Redis "go down" and come back. */
export interface TcpProxy {
  port: number;
  /** drops every connection and refuses new ones */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function createTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  let isUp = true;
  const pairs = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!isUp) return client.destroy();
    const upstream = connect(target.port, target.host ?? '127.0.0.1');
    pairs.add(client);
    pairs.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(client);
      pairs.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    down() {
      isUp = false;
      for (const s of pairs) s.destroy();
      pairs.clear();
    },
    up() {
      isUp = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of pairs) s.destroy();
        server.close(() => resolve());
      }),
  };
}
