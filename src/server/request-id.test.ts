import { afterEach, describe, expect, it } from 'vitest';
import { type IncidentServer, startIncidentServer } from '../../test/helpers/incident-server.js';
import { requestIdOf } from './request-id.js';

interface LogLine {
  level: number;
  requestId?: string;
  msg?: string;
  code?: string;
  err?: { message?: string };
}
const ERROR = 50;
const WARN = 40;

let server: IncidentServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The real server over a real runtime and store, logging JSON lines into `lines`, with a route whose dependency throws. */
async function loggingServer(): Promise<{ server: IncidentServer; lines: () => LogLine[] }> {
  let text = '';
  const write = (line: string) => {
    text += line;
  };
  server = await startIncidentServer({ log: { write } });
  server.app.get('/test/broken', async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'slos')");
  });
  return {
    server,
    lines: () =>
      text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogLine),
  };
}

describe('requestIdOf', () => {
  it.each([
    ['abc-123', 'abc-123'],
    ['4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['req:1/2@edge.example+retry=2', 'req:1/2@edge.example+retry=2'],
  ])('keeps a sane X-Request-Id %s', (sent, kept) => {
    expect(requestIdOf({ headers: { 'x-request-id': sent } })).toBe(kept);
  });
  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['too long', 'x'.repeat(129)],
    ['with a space', 'a b'],
    ['with a quote (log forging)', 'a"b'],
    ['with a newline', 'a\nb'],
    ['non-ASCII', 'réq'],
  ])('generates a UUID when X-Request-Id is %s', (_case, sent) => {
    const id = requestIdOf({ headers: sent === undefined ? {} : { 'x-request-id': sent } });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});

describe('request ids and the server log', () => {
  it('a 500 is logged at level error with the request id its answer carries (header and body)', async () => {
    const { server, lines } = await loggingServer();
    const res = await server.app.inject('/test/broken');
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toEqual({ error: { code: 'internal_error', message: expect.any(String), requestId: expect.any(String) } });
    expect(res.headers['x-request-id']).toBe(body.error.requestId);
    const errors = lines().filter((line) => line.level === ERROR);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      requestId: body.error.requestId,
      code: 'internal_error',
      err: { message: expect.stringContaining('slos') },
    });
  });

  it('keeps the id the client sent, in the answer and in the log', async () => {
    const { server, lines } = await loggingServer();
    const res = await server.app.inject({ url: '/test/broken', headers: { 'x-request-id': 'trace-7f3a' } });
    expect(res.headers['x-request-id']).toBe('trace-7f3a');
    expect(res.json().error.requestId).toBe('trace-7f3a');
    expect(lines().filter((line) => line.level === ERROR)[0]?.requestId).toBe('trace-7f3a');
  });

  it('a store that cannot be reached is logged as a warning with the request id', async () => {
    const { server, lines } = await loggingServer();
    await server.store.close();
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify([
        { journey: 'login', outcome: 'success', timestamp: new Date(Date.parse('2026-11-26T10:00:00Z')).toISOString() },
      ]),
    });
    expect(res.statusCode).toBe(503);
    const { requestId } = res.json().error;
    expect(lines().filter((line) => line.level === WARN && line.requestId === requestId)).toHaveLength(1);
    expect(lines().filter((line) => line.level >= ERROR)).toEqual([]);
  });

  it.each([
    ['an unknown route (404)', { url: '/api/v1/nothing-here' }, 404],
    [
      'malformed JSON (400)',
      { method: 'POST' as const, url: '/api/v1/alerts', headers: { 'content-type': 'application/json' }, payload: '{' },
      400,
    ],
    ['a bad query (400)', { url: '/api/v1/incidents?status=sideways' }, 400],
  ])('%s carries a request id and is not logged as a warning or error', async (_case, request, status) => {
    const { server, lines } = await loggingServer();
    const res = await server.app.inject(request);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.requestId).toBe(res.headers['x-request-id']);
    expect(lines()).toEqual([]);
  });
});
