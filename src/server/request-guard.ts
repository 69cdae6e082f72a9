/**
 * What a browser may not do to this server (docs/api.md ("Security")): reach it under a name it does not
 * serve (DNS rebinding), or change anything from a page of another origin (cross-site request forgery).
 */
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { VigilError } from '../errors/catalogue.js';

export interface RequestGuardOptions {
  /** The address the server listens on (`--host`); a wildcard (0.0.0.0, ::) admits every IP address as Host. */
  listenHost?: string;
  /** Extra Host names (`server.allowedHosts`), beside localhost, 127.0.0.1, ::1 and the listen address. */
  allowedHosts?: readonly string[];
  /** Other origins allowed to write (`server.allowedOrigins`), e.g. `https://portal.bank.example`. */
  allowedOrigins?: readonly string[];
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '']);
const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The host name of a Host header, lowercase, without port, brackets or a final dot; null when malformed.
 * @example hostName('[::1]:8080') // '::1'
 * @example hostName('Vigil.Bank.Example.:443') // 'vigil.bank.example'
 */
export function hostName(host: string): string | null {
  const text = host.trim().toLowerCase();
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]/\s@]+))(?::(\d{1,5}))?$/.exec(text);
  if (!match) return null;
  const name = match[1] ?? match[2]!;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** A configured name as `hostName` reads it: `[::1]` and `::1` are the same entry. */
function normalizeEntry(entry: string): string {
  const text = entry.trim().toLowerCase();
  if (isIP(text) === 6) return text;
  return hostName(text) ?? text;
}

/** The decisions of the guard, as pure functions of the request's headers. */
export interface RequestPolicy {
  /** Whether a request may be answered under this Host header (absent: not a browser, allowed). */
  hostAllowed(host: string | undefined): boolean;
  /** Whether a request of this method, with these headers, may change anything. */
  writeAllowed(method: string, headers: { host?: string; origin?: string; 'sec-fetch-site'?: string }): boolean;
}

/**
 * The policy for one server.
 * @example requestPolicy({ listenHost: '127.0.0.1' }).hostAllowed('evil.example:8080') // false
 * @example requestPolicy({}).writeAllowed('POST', { host: 'localhost:8080', origin: 'http://localhost:8080' }) // true
 */
export function requestPolicy(options: RequestGuardOptions): RequestPolicy {
  const names = new Set([...LOOPBACK_NAMES, ...(options.allowedHosts ?? [])].map(normalizeEntry));
  const listen = options.listenHost?.trim().toLowerCase();
  const anyAddress = listen !== undefined && WILDCARD_ADDRESSES.has(listen);
  if (listen !== undefined && !anyAddress) names.add(normalizeEntry(listen));
  const origins = new Set<string>();
  for (const origin of options.allowedOrigins ?? []) {
    try {
      origins.add(new URL(origin).origin);
    } catch {
      // The configuration schema refuses malformed origins; one given in code that does not parse matches nothing.
    }
  }

  const hostAllowed = (host: string | undefined): boolean => {
    if (host === undefined) return true;
    const name = hostName(host);
    if (name === null) return false;
    // A rebinding page reaches the server under the attacker's name; an IP address cannot be rebound.
    return names.has(name) || (anyAddress && isIP(name) !== 0);
  };

  const writeAllowed: RequestPolicy['writeAllowed'] = (method, headers) => {
    if (!MUTATING_METHODS.has(method.toUpperCase())) return true;
    const origin = headers.origin;
    if (origin === undefined) {
      // No Origin: curl, Alertmanager, the CLI. A browser that says the request is cross-site is refused anyway.
      const site = headers['sec-fetch-site']?.toLowerCase();
      return site !== 'cross-site' && site !== 'same-site';
    }
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // includes `Origin: null` (sandboxed frames, file: pages)
    }
    if (origins.has(url.origin)) return true;
    // Same origin: the page's host and port are the ones the request was sent to. The scheme is not
    // compared, so that a TLS-terminating proxy in front of plain-HTTP Vigil keeps working.
    const host = headers.host?.trim().toLowerCase();
    if (host === undefined) return false;
    const defaultPort = url.protocol === 'https:' ? ':443' : url.protocol === 'http:' ? ':80' : null;
    const requested = defaultPort !== null && host.endsWith(defaultPort) ? host.slice(0, -defaultPort.length) : host;
    return url.host === requested;
  };

  return { hostAllowed, writeAllowed };
}

/**
 * Refuse, before any route runs, a Host the server does not serve (421 `host_not_allowed`) and a write
 * from another origin (403 `cross_origin_refused`).
 * @example installRequestGuard(app, { listenHost: '127.0.0.1', allowedHosts: ['vigil.bank.example'] })
 */
export function installRequestGuard(app: FastifyInstance, options: RequestGuardOptions): void {
  const policy = requestPolicy(options);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const { host, origin } = request.headers;
    if (!policy.hostAllowed(host)) {
      throw new VigilError(
        'host_not_allowed',
        `This server does not answer to the host ${JSON.stringify(host)}: add it to server.allowedHosts in vigil.yaml`,
      );
    }
    const site = request.headers['sec-fetch-site'];
    const headers = {
      ...(host !== undefined && { host }),
      ...(origin !== undefined && { origin }),
      ...(typeof site === 'string' && { 'sec-fetch-site': site }),
    };
    if (!policy.writeAllowed(request.method, headers)) {
      throw new VigilError(
        'cross_origin_refused',
        `${request.method} from the origin ${JSON.stringify(origin ?? site)} refused: only this server's own pages ` +
          '(or an origin in server.allowedOrigins) may change anything',
      );
    }
  });
}
