import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installErrorHandling } from './errors.js';
import { installWireValidation } from './wire.js';

async function server() {
  const app = Fastify();
  installErrorHandling(app);
  installWireValidation(app);
  const wire = z.strictObject({ at: z.iso.datetime({ offset: true }) });
  app.get('/good', { config: { wire } }, async () => ({ at: '2026-11-26T10:00:00.000Z' }));
  app.get('/epoch', { config: { wire } }, async () => ({ at: 1_795_687_200_000 }));
  app.get('/extra', { config: { wire } }, async () => ({ at: '2026-11-26T10:00:00.000Z', secret: 'x' }));
  app.get('/undeclared', async () => ({ at: '2026-11-26T10:00:00.000Z' }));
  await app.ready();
  return app;
}

describe('wire validation of answers', () => {
  it('lets an answer inside its route’s contract through unchanged', async () => {
    const app = await server();
    const res = await app.inject('/good');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ at: '2026-11-26T10:00:00.000Z' });
  });
  it.each([
    ['/epoch', 'at:'],
    ['/extra', 'secret'],
    ['/undeclared', 'declares no wire schema'],
  ])('turns an answer outside the contract (%s) into a failure that names the field', async (path, names) => {
    const app = await server();
    const logged: unknown[] = [];
    app.log.error = ((obj: unknown) => logged.push(obj)) as typeof app.log.error;
    const res = await app.inject(path);
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('internal_error');
    const err = (logged[0] as { err?: Error } | undefined)?.err;
    expect(String(err?.message ?? '')).toContain(names);
  });
  it('checks failures against the one error shape', async () => {
    const app = await server();
    const res = await app.inject('/nowhere');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'route_not_found' } });
  });
});
