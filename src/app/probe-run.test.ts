/**
 * Probe runs and the scheduler against real local HTTP(S) servers (docs/benchmark.md ("Probes")): each outcome and its
 * reason, and a slow target that does not delay another probe.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult, ProbeSpec } from '../model/benchmark.js';
import { ProbeScheduler } from './benchmark-work.js';
import { failureReason, runProbe } from './probe-run.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const routes: Record<string, Handler> = {
  '/ok': (_req, res) => res.end('<h1>Sign in</h1>'),
  '/down': (_req, res) => {
    res.statusCode = 503;
    res.end('unavailable');
  },
  '/other': (_req, res) => res.end('<h1>Maintenance</h1>'),
  '/loop': (_req, res) => {
    res.statusCode = 302;
    res.setHeader('location', '/loop');
    res.end();
  },
  '/hop': (_req, res) => {
    res.statusCode = 301;
    res.setHeader('location', '/ok');
    res.end();
  },
  '/hang': () => {
    // Never answers: the probe's timeout ends it.
  },
  '/big': (_req, res) => {
    // 2 MiB of filler, then the text: beyond the 1 MiB the check reads.
    res.write('x'.repeat(2 * 1024 * 1024));
    res.end('Sign in');
  },
};

let server: Server;
let base: string;
let refusedUrl: string;

const probe = (path: string, overrides: Partial<ProbeSpec> = {}): ProbeSpec => ({
  name: `p${path.replace(/\//g, '-')}`,
  owner: 'self',
  journey: 'login',
  url: `${base}${path}`,
  method: 'GET',
  intervalMs: 60_000,
  timeoutMs: 2_000,
  ...overrides,
});

beforeAll(async () => {
  server = createServer((req, res) => (routes[req.url ?? ''] ?? routes['/down']!)(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A port that was just free and is closed again: connecting to it is refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('runProbe', () => {
  it('is ok on a 2xx with the expected body, and records time and latency', async () => {
    const before = Date.now();
    const result = await runProbe(probe('/ok', { bodyContains: 'Sign in', expectStatus: 200 }));
    expect(result).toMatchObject({ probe: 'p-ok', owner: 'self', journey: 'login', ok: true, error: null });
    expect(result.at).toBeGreaterThanOrEqual(before);
    expect(result.latencyMs).toEqual(expect.any(Number));
  });

  it.each([
    ['/down', {}, 'status 503'],
    ['/ok', { expectStatus: 201 }, 'status 200'],
    ['/other', { bodyContains: 'Sign in' }, 'body mismatch'],
    ['/big', { bodyContains: 'Sign in' }, 'body mismatch'],
    ['/loop', {}, 'too many redirects (more than 5)'],
    ['/hang', { timeoutMs: 1_000 }, 'timeout after 1s'],
  ] as const)('%s %j fails with %s', async (path, overrides, reason) => {
    const result = await runProbe(probe(path, overrides));
    expect(result.ok).toBe(false);
    expect(result.error).toBe(reason);
  });

  it('follows a redirect to the real page', async () => {
    expect(await runProbe(probe('/hop', { bodyContains: 'Sign in' }))).toMatchObject({ ok: true, error: null });
  });

  it('words a refused connection and has no latency on a timeout', async () => {
    expect(await runProbe(probe('/', { url: refusedUrl }))).toMatchObject({ ok: false, error: 'connection refused' });
    expect((await runProbe(probe('/hang', { timeoutMs: 1_000 }))).latencyMs).toBeNull();
  });

  it('words errors from their cause code', () => {
    const wrapped = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
    expect(failureReason(wrapped('CERT_HAS_EXPIRED'), 10_000)).toBe('tls CERT_HAS_EXPIRED');
    expect(failureReason(wrapped('ERR_TLS_CERT_ALTNAME_INVALID'), 10_000)).toBe('tls ERR_TLS_CERT_ALTNAME_INVALID');
    expect(failureReason(wrapped('ENOTFOUND'), 10_000)).toBe('dns ENOTFOUND');
    expect(failureReason(wrapped('ECONNRESET'), 10_000)).toBe('connection reset');
    expect(failureReason(wrapped('EHOSTUNREACH'), 10_000)).toBe('network EHOSTUNREACH');
    expect(failureReason(new DOMException('late', 'TimeoutError'), 10_000)).toBe('timeout after 10s');
  });
});

describe('runProbe over TLS', () => {
  let dir: string;
  let tls: Server;
  let tlsUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    tls = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) =>
      res.end('ok'),
    );
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    tls.closeAllConnections();
    await new Promise<void>((resolve) => tls.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails a self-signed certificate with its TLS reason', async () => {
    const result = await runProbe(probe('/', { url: tlsUrl }));
    expect(result.ok).toBe(false);
    expect(result.error).toBe('tls DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});

describe('ProbeScheduler', () => {
  it('runs each probe on its own timer: a hanging target does not delay another probe', async () => {
    const results: ProbeResult[] = [];
    const stored: ProbeResult[] = [];
    let fastRuns = 0;
    let resolveEnough: () => void = () => {};
    const enough = new Promise<void>((resolve) => {
      resolveEnough = resolve;
    });
    const scheduler = new ProbeScheduler({
      probes: () => [
        probe('/hang', { name: 'slow', timeoutMs: 60_000, intervalMs: 10_000 }),
        probe('/ok', { name: 'fast', intervalMs: 50 }),
      ],
      store: { saveProbeResults: async (r) => void stored.push(...r) },
      log: { info: () => {}, warn: () => {} },
      onResult: (r) => {
        results.push(r);
        if (r.probe === 'fast' && ++fastRuns >= 3) resolveEnough();
      },
    });
    scheduler.start();
    await enough;
    // The slow probe is still waiting on its first answer while the fast one has run three times.
    expect(results.filter((r) => r.probe === 'slow')).toEqual([]);
    expect(results.slice(0, 3).map((r) => [r.probe, r.ok])).toEqual([
      ['fast', true],
      ['fast', true],
      ['fast', true],
    ]);
    expect(stored.length).toBe(results.length);
    server.closeAllConnections();
    await scheduler.stop();
  });
});
