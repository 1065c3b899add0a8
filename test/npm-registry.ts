/**
 * An npm registry on localhost that serves what a user's `npm install datadeck` fetches, with
 * nothing from the network: every runtime package of the repository's lockfile (its metadata from
 * the lockfile, its tarball from the npm cache that `npm ci` filled), and the tarballs `npm pack`
 * made. Installs from it resolve to the lockfile's versions, as they would from npmjs.org that day.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

interface LockEntry {
  name?: string;
  version?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, unknown>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  license?: string;
}

interface Version {
  manifest: Record<string, unknown>;
  tarball: () => Buffer;
}

/** Where npm's cache keeps the file of an integrity (cacache's content-addressed layout). */
function cachedFile(cacheDir: string, integrity: string): string | undefined {
  for (const hash of integrity.split(/\s+/)) {
    const [algorithm, digest] = hash.split(/-(.*)/s) as [string, string];
    const hex = Buffer.from(digest, 'base64').toString('hex');
    const file = path.join(cacheDir, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** The package.json inside a packed tarball. */
function packedManifest(tgz: string): Record<string, unknown> {
  return JSON.parse(execFileSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
}

const manifestFields = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu', 'license'] as const;

export interface LocalRegistry {
  url: string;
  /** Requests answered 404, for a failing install's message. */
  misses: string[];
  close(): Promise<void>;
}

/**
 * Starts the registry. `lockfile`'s packages other than dev ones are served; their tarballs must be
 * in `npmCache` (the machine's npm cache, as `npm ci` left it). `packed` are tarballs of our own.
 */
export async function startRegistry(options: { lockfile: string; npmCache: string; packed: string[] }): Promise<LocalRegistry> {
  const packages = new Map<string, Map<string, Version>>();
  const add = (name: string, version: string, manifest: Record<string, unknown>, tarball: () => Buffer): void => {
    if (!packages.has(name)) packages.set(name, new Map());
    packages.get(name)!.set(version, { manifest: { name, version, ...manifest }, tarball });
  };
  const missing: string[] = [];
  const lock = JSON.parse(readFileSync(options.lockfile, 'utf8')) as { packages: Record<string, LockEntry> };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.includes('node_modules/') || entry.link || entry.dev || !entry.version || !entry.integrity) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const file = cachedFile(options.npmCache, entry.integrity);
    if (!file) missing.push(`${name}@${entry.version}`);
    const fields = Object.fromEntries(manifestFields.filter((field) => entry[field] !== undefined).map((field) => [field, entry[field]]));
    add(name, entry.version, { ...fields, dist: { integrity: entry.integrity } }, () => readFileSync(file!));
  }
  if (missing.length > 0) throw new Error(`npm's cache (${options.npmCache}) lacks ${missing.join(', ')}: run npm ci to fill it`);
  for (const tgz of options.packed) {
    const manifest = packedManifest(tgz);
    const bytes = readFileSync(tgz);
    const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
    add(manifest.name as string, manifest.version as string, { ...manifest, dist: { integrity } }, () => bytes);
  }

  const misses: string[] = [];
  let base = '';
  const server: Server = createServer((request, response) => {
    const url = decodeURIComponent((request.url ?? '/').split('?')[0]!);
    const tarball = /^\/-\/tarballs\/(.+)\/([^/]+)\.tgz$/.exec(url);
    if (tarball) {
      const version = packages.get(tarball[1]!)?.get(tarball[2]!);
      if (version) {
        response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(version.tarball());
        return;
      }
    }
    const versions = packages.get(url.slice(1));
    if (!tarball && versions) {
      const all = [...versions.values()].map(({ manifest }): Record<string, unknown> => ({ ...manifest, dist: { ...(manifest.dist as object), tarball: `${base}/-/tarballs/${manifest.name as string}/${manifest.version as string}.tgz` } }));
      const latest = all.map((manifest) => manifest.version as string).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop()!;
      const packument = { name: url.slice(1), 'dist-tags': { latest }, versions: Object.fromEntries(all.map((manifest) => [manifest.version as string, manifest])) };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
      return;
    }
    misses.push(`${request.method} ${url}`);
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    misses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
