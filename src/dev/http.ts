import { readFile, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sirv from 'sirv';
import { DatadeckError } from '../errors.js';
import { isInsideOrEqual } from '../paths.js';
// What every open tab is told (the last good build, the last one that needs a full reload, the
// errors) is read by the page's dev client: declared with the page's contract.
import type { PreviewState } from '../client/contract.js';

export type { PreviewState };

export interface PreviewServer {
  url: string;
  /** Tells every open tab the new state (live reload, error overlay). */
  broadcast(state: PreviewState): void;
  close(): Promise<void>;
}

const waitingClientPath = '/__datadeck/dev-client.js';
/** Shown until the session's first good build: the dev client overlays the errors and reloads once fixed. */
const waitingPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>datadeck: waiting for a good build</title></head>
<body style="font: 18px/1.5 system-ui, sans-serif; margin: 48px; color: #14171a; background: #fbfaf7">
<p>datadeck dev: no deck yet. The deck appears here as soon as it builds.</p>
<script src="${waitingClientPath}?build=0"></script>
</body>
</html>
`;

/**
 * Whether a request could reach a file or folder whose real path is outside the deck: a symbolic
 * link in it (`ln -s /etc slides/etc`) at any depth. Every file the static server might answer
 * with is checked: the path as it decodes it and as we do, and its `.html` and `index.html` forms.
 */
async function leavesDeck(root: string, rawPath: string, decoded: string): Promise<boolean> {
  const realRoot = await realpath(root).catch(() => undefined);
  if (!realRoot) return false;
  let sirvDecoded = rawPath;
  try {
    sirvDecoded = decodeURI(rawPath);
  } catch {
    // sirv keeps a malformed path as it is.
  }
  const candidates = [...new Set([rawPath, sirvDecoded, decoded])].flatMap((name) => {
    const base = name.replace(/\/+$/, '');
    return [name, `${base}.html`, `${base}.htm`, `${base}/index.html`, `${base}/index.htm`];
  });
  const reals = await Promise.all(candidates.map((name) => realpath(path.join(root, name)).catch(() => undefined)));
  return reals.some((real) => real !== undefined && !isInsideOrEqual(real, realRoot));
}

/** Binds the server, turning the usual failures into one sentence with the way out. */
async function listen(server: Server, port: number, host: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE' ? `port ${port} is already in use on ${host} (another datadeck dev or another server); choose another with --port, or leave --port out for a free one`
      : code === 'EADDRNOTAVAIL' ? `${host} is not an address of this machine; use --host 127.0.0.1 (the default) or one of this machine's addresses`
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `the host name ${host} cannot be resolved; use --host 127.0.0.1 (the default) or an address of this machine`
      : code === 'EACCES' ? `listening on port ${port} is not permitted (ports below 1024 need extra rights); choose a port above 1023`
      : `${error instanceof Error ? error.message : String(error)}`;
    throw new DatadeckError('listen', `cannot serve the deck at ${host}:${port}: ${reason}.`, { cause: error });
  }
}

/**
 * The preview: the deck's folder over HTTP on loopback, and an event stream telling open tabs
 * about each build. Requests that climb out of the folder get 403, by `..` or by a symbolic link,
 * as do requests addressed to a foreign host name (a DNS name rebound to 127.0.0.1). Bound before
 * anything else starts.
 */
export async function startPreviewServer(options: { outDir: string; port: number; host: string; clientScript: string; state: () => PreviewState }): Promise<PreviewServer> {
  const clients = new Set<ServerResponse>();
  const serveDeck = sirv(options.outDir, { dev: true, dotfiles: false });
  const loopbackOnly = ['127.0.0.1', 'localhost', '::1'].includes(options.host);
  const allowedHosts = new Set<string>();
  const event = (state: PreviewState): string => `event: state\ndata: ${JSON.stringify(state)}\n\n`;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    if (loopbackOnly && !allowedHosts.has((request.headers.host ?? '').toLowerCase())) {
      response.writeHead(403).end('forbidden host');
      return;
    }
    if (url === '/__datadeck/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(event(options.state()));
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    // Requests that climb out of the deck ("..", encoded or not) are refused outright.
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.split('?')[0]!);
    } catch {
      decoded = '..';
    }
    if (decoded.split(/[\\/]/).includes('..')) {
      response.writeHead(403).end('forbidden');
      return;
    }
    // Until a build of this session succeeds there is no deck to show (or only a stale one
    // without the live-reload client): a page that shows the errors and reloads once fixed.
    if (options.state().build === 0 && (decoded === '/' || decoded === '/index.html')) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(waitingPage);
      return;
    }
    if (decoded === waitingClientPath) {
      void readFile(options.clientScript).then(
        (script) => response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(script),
        () => response.writeHead(404).end('not found'),
      );
      return;
    }
    void leavesDeck(options.outDir, url.split('?')[0]!, decoded).then((outside) => {
      if (outside) {
        response.writeHead(403).end('forbidden: outside the deck');
        return;
      }
      serveDeck(request, response, () => {
        response.writeHead(404).end('not found');
      });
    });
  });
  await listen(server, options.port, options.host);
  const address = server.address() as AddressInfo;
  for (const name of ['127.0.0.1', 'localhost', '[::1]']) allowedHosts.add(`${name}:${address.port}`);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    broadcast(state) {
      const payload = event(state);
      for (const client of clients) client.write(payload);
    },
    async close() {
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
