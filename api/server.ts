import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { Logger } from '../core/logger.ts';

export interface HttpServerHandle {
  port: number;
  /** Stops accepting, lets in-flight requests finish, closes idle keep-alive sockets; forces after `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

export function startHttpServer(
  app: { fetch: (request: Request) => Response | Promise<Response> },
  options: { port: number; hostname?: string; logger: Logger },
): Promise<HttpServerHandle> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    const server: ServerType = serve(
      { fetch: app.fetch, port: options.port, hostname: options.hostname ?? '0.0.0.0' },
      (info) => {
        const http = server as Server;
        http.off('error', onError);
        http.keepAliveTimeout = 65_000;
        resolve({
          port: info.port,
          close: (timeoutMs = 10_000) =>
            new Promise<void>((done) => {
              const force = setTimeout(() => {
                options.logger.warn({ timeoutMs }, 'shutdown timeout: closing remaining connections');
                http.closeAllConnections();
              }, timeoutMs);
              force.unref();
              http.close(() => {
                clearTimeout(force);
                done();
              });
              http.closeIdleConnections();
              // sockets that finish their request while we wait become idle: close them as they do
              const sweep = setInterval(() => http.closeIdleConnections(), 100);
              sweep.unref();
              http.once('close', () => clearInterval(sweep));
            }),
        });
      },
    );
    (server as Server).once('error', onError);
  });
}
