// Runs every request/response example of the Ingest section of docs/api.md through the ingestor.
import { sliDefinitions } from '../engine/sli.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SloSpec, VigilConfig } from '../model/config.js';
import { openStore } from '../store/open.js';
import { AppendEvents } from './append-events.js';
import { EventIngestor } from './ingest-events.js';

const DOCS = new URL('../../docs/api.md', import.meta.url);
/** The clock and configuration the examples state. */
const NOW = Date.parse('2026-11-26T10:00:30Z');
const slo = (name: string, objective: number, sli: SloSpec['sli']): SloSpec => ({
  name,
  objective,
  window: { kind: 'rolling', minutes: 28 * 1440, text: '28d' },
  budgeting: 'occurrences',
  timeSliceTarget: objective,
  sli,
  alerting: { minEvents: 0 },
});
const config: VigilConfig = {
  version: 'vigil/v1',
  defaults: { timezone: 'Europe/London' },
  tiers: { critical: { name: 'critical', objective: 99.99 } },
  services: [{ name: 'payments-api', owner: 'payments', tier: 'critical' }],
  journeys: [
    {
      name: 'wire-transfer',
      displayName: 'Wire transfer',
      tier: 'critical',
      owner: 'payments',
      value: { currency: 'EUR', revenuePerSuccess: 4.5 },
      steps: [
        { name: 'login', services: ['auth-gateway', 'identity'], critical: false },
        { name: 'initiate', services: ['payments-api', 'fraud-check'], critical: false },
        { name: 'confirm', services: ['payments-api', 'core-ledger'], critical: true },
      ],
      slos: [
        slo('success', 99.95, { kind: 'success', abandonedIsBad: false }),
        slo('within-regulatory-limit', 99.9, { kind: 'latency', thresholdMs: 10_000, abandonedIsBad: false }),
        slo('confirm-step', 99.99, { kind: 'success', step: 'confirm', abandonedIsBad: false }),
      ],
    },
  ],
  alerting: { serviceLabels: ['service', 'service_name', 'app', 'job'], correlationWindowMinutes: 10, serviceRules: [] },
  retention: { rawEventsDays: 35 },
  ingest: { maxBodyBytes: 10 * 1024 * 1024 },
};

interface HttpMessage {
  startLine: string;
  headers: Record<string, string>;
  body: string;
}

/** The `## Ingest` section, up to the next second-level heading. */
function ingestSection(markdown: string): string {
  const start = markdown.indexOf('\n## Ingest\n');
  if (start === -1) throw new Error('docs/api.md has no "## Ingest" section');
  const next = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, next === -1 ? undefined : next);
}

/** The http code block following each `<!-- example: request|response -->` marker, in order. */
function examples(section: string): { kind: 'request' | 'response'; message: HttpMessage }[] {
  const found: { kind: 'request' | 'response'; message: HttpMessage }[] = [];
  for (const match of section.matchAll(/<!-- example: (request|response) -->\n```http\n([\s\S]*?)\n```/g)) {
    const [startLine = '', ...rest] = match[2]!.split('\n');
    const blank = rest.indexOf('');
    const headers = Object.fromEntries(
      rest.slice(0, blank).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    found.push({ kind: match[1] as 'request' | 'response', message: { startLine, headers, body: rest.slice(blank + 1).join('\n') } });
  }
  return found;
}

/** A documented message ending in "…" stands for any message that starts with the text before it. */
function documentedMessage(message: unknown): unknown {
  return typeof message === 'string' && message.endsWith('…') ? expect.stringMatching(`^${escapeRegExp(message.slice(0, -1))}`) : message;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const pairs = (() => {
  const found = examples(ingestSection(fs.readFileSync(DOCS, 'utf8')));
  const result: [string, HttpMessage, HttpMessage][] = [];
  for (let i = 0; i + 1 < found.length; i += 2) {
    const request = found[i]!;
    const response = found[i + 1]!;
    if (request.kind !== 'request' || response.kind !== 'response')
      throw new Error(`docs/api.md: example ${i / 2 + 1} is not a request followed by a response`);
    result.push([`example ${i / 2 + 1} (${request.message.headers['content-type']})`, request.message, response.message]);
  }
  if (found.length % 2 !== 0) throw new Error('docs/api.md: an example request has no response');
  return result;
})();

describe('docs/api.md, Ingest', () => {
  it('has examples', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(3);
  });

  it.each(pairs)('%s answers as documented', async (_, request, response) => {
    expect(request.startLine).toBe('POST /api/v1/events');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-api-docs-'));
    const store = await openStore(path.join(dir, 'vigil.db'));
    try {
      const ingestor = new EventIngestor({
        config,
        append: new AppendEvents({ store: store.events, slis: sliDefinitions(config.journeys) }),
        clock: () => NOW,
      });
      const { status, ...body } = await ingestor.ingest(request.body, request.headers['content-type']);
      expect(response.startLine).toMatch(/^HTTP\/1\.1 (200|400) /);
      expect(`${status}`).toBe(response.startLine.split(' ')[1]);
      const documented = JSON.parse(response.body) as typeof body;
      expect(body).toEqual({ ...documented, rejected: documented.rejected.map((r) => ({ ...r, message: documentedMessage(r.message) })) });
      expect(await store.events.countEvents()).toBe(documented.accepted);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
