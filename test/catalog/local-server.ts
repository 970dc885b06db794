/** A throwaway HTTP server on 127.0.0.1 for the download tests: fixed routes, every request logged. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Bytes to send, a status to answer with, or 'hang' to never answer. */
export type Route = Buffer | number | 'hang';

export interface LocalServer {
  base: string;
  /** Paths requested, in order. */
  hits: string[];
  close(): Promise<void>;
}

export async function serve(routes: Record<string, Route>): Promise<LocalServer> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    const route = routes[path] ?? 404;
    if (route === 'hang') return;
    if (typeof route === 'number') {
      res.writeHead(route).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': route.length }).end(route);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (just freed by a server of our own). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
