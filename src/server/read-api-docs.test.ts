// Runs the examples of the "Reading SLOs" section of docs/api.md and checks the fields its table names.
import { vigilApi } from '../app/api.js';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { VigilRuntime } from '../app/runtime.js';
import { openStore } from '../store/open.js';
import { buildServer } from './app.js';
import { DOCS_NOW, docsEvents } from './read-api-docs.fixture.js';

const doc = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
const section = doc.slice(doc.indexOf('## Reading SLOs'), doc.indexOf('## Incidents'));

let app: FastifyInstance;
let runtime: VigilRuntime;

beforeAll(async () => {
  const loaded = await loadConfig(new URL('../../test/fixtures/e2e.yaml', import.meta.url).pathname);
  if (!loaded.ok) throw new Error('fixture config does not load');
  const store = await openStore(':memory:');
  runtime = await VigilRuntime.start({ config: loaded.config, store, clock: () => DOCS_NOW });
  await runtime.append.append(docsEvents(), DOCS_NOW);
  app = await buildServer({ api: vigilApi(runtime) });
});
afterAll(async () => {
  await app.close();
  await runtime.close();
});

describe('docs/api.md: Reading SLOs', () => {
  const examples = [...section.matchAll(/```http\nGET (\S+)\n```\n\n```json\n([\s\S]*?)\n```/g)];

  it('has the examples', () => expect(examples.length).toBe(2));

  it.each(examples.map((m) => [m[1]!, m[2]!]))('GET %s answers exactly what the doc shows', async (url, json) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(JSON.parse(json));
  });

  const rows = [...section.matchAll(/^\| `GET (\S+)` \| (.*) \|$/gm)];
  it.each(rows.filter((r) => r[1]!.startsWith('/api')).map((r) => [r[1]!, r[2]!]))(
    '%s has the top-level fields its row names',
    async (path, text) => {
      const url = path.replace('{journey}', 'wire-transfer');
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const listKey = ['journeys', 'alerts', 'services'].find(
        (k) => text.startsWith(`\`at\`, and \`${k}\``) || text.startsWith(`\`${k}\``),
      );
      const items: any[] = listKey && Array.isArray(body[listKey]) ? body[listKey] : [body];
      expect(items.length).toBeGreaterThan(0);
      // Optional fields (owner, step…) appear on the items that have them: some item must carry each.
      const holders = [body, ...items, ...items.flatMap((i) => i.steps ?? [])];
      const named = [...text.matchAll(/`([a-zA-Z0-9]+)`/g)].map((m) => m[1]!);
      for (const field of named.slice(0, 8)) {
        if (['1h', '1d', 'page', 'ticket'].includes(field)) continue;
        expect(
          holders.some((h) => h && typeof h === 'object' && field in h),
          `${url}: ${field}`,
        ).toBe(true);
      }
    },
  );
});
