import { getRequestListener } from '@hono/node-server';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/logger.ts';

export interface HttpCloseResult {
  /** the timeout was reached and the requests still running were cut */
  timedOut: boolean;
  /** requests still running when the connections were closed */
  cut: number;
  /** how long closing took */
  ms: number;
}

export interface HttpServerHandle {
  port: number;
  /** requests being handled right now */
  inFlight(): number;
  /**
   * Graceful stop: the listener closes first (new connections are refused), requests still arriving on
   * kept-alive connections are refused with 503 and `Connection: close` (the sender retries: Telegram
   * and Twilio redeliver), responses in flight go out with `Connection: close`, idle keep-alive sockets
   * are closed as they become idle. After `timeoutMs` the remaining connections are cut, and the result
   * says how many requests were.
   */
  close(timeoutMs?: number): Promise<HttpCloseResult>;
}

const SHUTTING_DOWN = JSON.stringify({
  error: { code: 'unavailable', message: 'the server is shutting down; try again' },
});

export function startHttpServer(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  options: { port: number; hostname?: string; logger: Logger },
): Promise<HttpServerHandle> {
  const listener = getRequestListener(app.fetch);
  const active = new Set<ServerResponse>();
  let closing = false;

  const server = createServer((req, res) => {
    if (closing) {
      res.shouldKeepAlive = false;
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' });
      res.end(SHUTTING_DOWN);
      return;
    }
    active.add(res);
    res.once('close', () => active.delete(res));
    void listener(req, res);
  });
  server.keepAliveTimeout = 65_000;

  const close = (timeoutMs = 10_000) =>
    new Promise<HttpCloseResult>((done) => {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      closing = true;
      // the responses being prepared end their connection: no further request rides on it
      for (const res of active) {
        res.shouldKeepAlive = false;
        if (!res.headersSent) res.setHeader('connection', 'close');
      }
      let finished = false;
      const finish = (result: HttpCloseResult) => {
        if (finished) return;
        finished = true;
        clearTimeout(force);
        clearInterval(sweep);
        done(result);
      };
      const force = setTimeout(() => {
        const cut = active.size;
        options.logger.warn({ timeoutMs, cut }, 'shutdown timeout: cutting the requests still running');
        server.closeAllConnections();
        finish({ timedOut: true, cut, ms: elapsed() });
      }, timeoutMs);
      force.unref();
      server.close(() => finish({ timedOut: false, cut: 0, ms: elapsed() }));
      server.closeIdleConnections();
      // sockets that finish their request while we wait become idle: close them as they do
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      sweep.unref();
    });

  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(options.port, options.hostname ?? '0.0.0.0', () => {
      server.off('error', onError);
      resolve({
        port: (server.address() as AddressInfo).port,
        inFlight: () => active.size,
        close,
      });
    });
  });
}
