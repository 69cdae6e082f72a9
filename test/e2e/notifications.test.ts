/**
 * Notifications out, end to end: a burning SLO opens a P1/P2 incident, and its notification reaches a
 * real HTTP receiver through the durable outbox — retried after the receiver first refuses it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_CONFIG, postEvents, startVigil, tempDir, type VigilProcess, readBody } from '../helpers/vigil-process.js';

const temp = tempDir();
const received: { at: number; status: number; body: any }[] = [];
let receiver: Server;
let vigil: VigilProcess;

beforeAll(async () => {
  receiver = createServer(async (request, response) => {
    const body = JSON.parse(await readBody(request));
    // The first delivery is refused: the outbox must retry it.
    const status = received.length === 0 ? 503 : 200;
    received.push({ at: Date.now(), status, body });
    response.writeHead(status).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const config = join(temp.dir, 'vigil.yaml');
  writeFileSync(
    config,
    `${readFileSync(E2E_CONFIG, 'utf8')}
notifications:
  targets:
    - { name: itsm, type: webhook, url: "http://127.0.0.1:${port}/hook", minPriority: P3 }
`,
  );
  vigil = await startVigil(['--config', config, '--database', join(temp.dir, 'vigil.db')]);
});

afterAll(async () => {
  await vigil?.stop();
  await new Promise((resolve) => receiver.close(resolve));
  temp.cleanup();
});

describe('notifications', () => {
  it('delivers the incident to a webhook, retrying after a refusal, with the incident id as dedup key', async () => {
    const now = Date.now();
    const events = Array.from({ length: 300 }, (_, i) => ({
      journey: 'wire-transfer',
      outcome: i % 3 === 0 ? 'failure' : 'success',
      customerId: `c-${i}`,
      timestamp: new Date(now - 180_000 + i * 500).toISOString(),
    }));
    expect((await postEvents(vigil.url, events)).status).toBe(200);

    const deadline = Date.now() + 30_000;
    while (!received.some((r) => r.status === 200) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(received.length).toBeGreaterThanOrEqual(2);
    const [refused, delivered] = received;
    expect(refused!.status).toBe(503);
    expect(delivered!.status).toBe(200);
    // The retry carries the same message: same incident, same dedup key, a few seconds later.
    expect(delivered!.body).toEqual(refused!.body);
    expect(delivered!.at - refused!.at).toBeGreaterThanOrEqual(3_000);
    const incidents = (await (await fetch(`${vigil.url}/api/v1/incidents?journey=wire-transfer`)).json()).incidents;
    expect(JSON.stringify(delivered!.body)).toContain(incidents[0].id);
    expect(['P1', 'P2']).toContain(incidents[0].priority);
  }, 45_000);
});
