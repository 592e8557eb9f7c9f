// A hub listening on HTTP: the request handler on a node:http server, with graceful shutdown
// (stop accepting, end SSE streams, stop sweepers, close the database).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hub } from '../hub';
import { startSweepers, type SweeperDefinition, type SweeperScheduler } from '../sweepers/scheduler';
import { createRequestHandler, type NextRequestHandler } from './request-handler';
import { applySecurityHeaders } from './security-headers';
import { boundAddress } from '../startup-banner';

export interface RunningHubServer {
  server: http.Server;
  /** A URL that reaches the hub from this machine (127.0.0.1 for a wildcard address). */
  url: string;
  /** The address the socket is bound to, as `host:port` (0.0.0.0 and [::] mean every interface). */
  boundAddress: string;
  port: number;
  /** Graceful shutdown; resolves when everything is closed. */
  shutdown(): Promise<void>;
}

export interface StartHubServerOptions {
  hub: Hub;
  port: number;
  host: string;
  next?: NextRequestHandler;
  /** Sweepers to schedule; [] for none (tests drive them with an injected clock). */
  sweepers?: SweeperDefinition[];
}

export async function startHubServer(options: StartHubServerOptions): Promise<RunningHubServer> {
  const { hub } = options;
  const scheduler: SweeperScheduler = startSweepers(hub, options.sweepers);
  let shuttingDown: Promise<void> | null = null;
  const handleRequest = createRequestHandler(hub, { next: options.next });
  const server = http.createServer((request, response) => {
    // During shutdown, requests on kept-alive connections (a client reconnecting its stream)
    // are refused and their connection closed, so draining does not wait for them.
    if (shuttingDown) {
      applySecurityHeaders(response);
      response.writeHead(503, { 'Content-Type': 'application/json', Connection: 'close', 'Retry-After': '5' });
      response.end(JSON.stringify({ error: { code: 'unavailable', message: 'the hub is shutting down' } }));
      return;
    }
    void handleRequest(request, response);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const displayHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;

  const shutdown = () => {
    shuttingDown ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      hub.events.closeAll();
      hub.claimWaiters.close();
      server.closeIdleConnections();
      await scheduler.stop();
      // Streams and in-flight requests get the grace period, then are cut.
      const grace = new Promise<void>((resolve) => setTimeout(resolve, hub.config.shutdownGraceMs).unref());
      await Promise.race([closed, grace]);
      server.closeAllConnections();
      await hub.close();
    })();
    return shuttingDown;
  };

  return { server, url: `http://${displayHost}:${address.port}`, boundAddress: boundAddress(address), port: address.port, shutdown };
}
