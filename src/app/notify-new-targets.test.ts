// A target added while incidents are open hears about them at start-up, once (docs/alerting.md ("Targets added later")).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NOW, sampleAlert, sampleIncident } from '../../test/helpers/incident-server.js';
import { loadConfigFromString } from '../config/load.js';
import type { VigilConfig } from '../model/config.js';
import { openStore } from '../store/open.js';
import { IncidentManager } from './incident-manager.js';
import { VigilRuntime } from './runtime.js';

const silent = { info: () => {}, warn: () => {} };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function config(targets: string): VigilConfig {
  const result = loadConfigFromString(
    `version: vigil/v1
services: [{ name: core-ledger, owner: ledger-team }]
journeys:
  - name: wire-transfer
    tier: critical
    owner: payments
    steps: [{ name: confirm, services: [core-ledger] }]
    slos: [{ name: success, objective: 99.9, window: 28d, sli: { kind: success } }]
notifications:
  targets:
${targets}`,
    'vigil.yaml',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

const ONCALL = '    - { name: oncall, type: webhook, url: "https://itsm.example/a" }\n';
const LEDGER = '    - { name: ledger-genie, type: opsgenie, apiKey: k, match: { serviceOwners: [ledger-team] } }\n';
const LENDING = '    - { name: lending-teams, type: teams, url: "https://t.example/b", match: { journeyOwners: [lending] } }\n';

/** Start the runtime and incident manager over the database, as `vigil serve` does, and stop them again. */
async function serveOnce(location: string, cfg: VigilConfig) {
  const runtime = await VigilRuntime.start({ config: cfg, store: await openStore(location), clock: () => NOW });
  const manager = await IncidentManager.start(runtime, silent);
  const due = (await runtime.store.alerting.outboxDue(NOW + 1, 100)).map((m) => [m.target, m.dedupKey]);
  const incident = await runtime.store.alerting.incident('inc-open');
  await manager.stop();
  await runtime.close();
  return { due, timeline: incident!.timeline.map((t) => t.message) };
}

describe('targets added while incidents are open', () => {
  it('a new matching target gets the open incident at start-up once; a resolved one and a target that does not match get nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-catch-up-'));
    dirs.push(dir);
    const location = join(dir, 'vigil.db');
    const store = await openStore(location);
    const open = sampleIncident('inc-open', {
      timeline: [{ at: NOW - 100_000, kind: 'notified', message: 'opened: notified oncall' }],
    });
    const resolved = sampleIncident('inc-done', { status: 'resolved', resolvedAt: NOW - 50_000 });
    await store.alerting.saveAlerting({ incidents: [open, resolved], alerts: [sampleAlert(open), sampleAlert(resolved)], outbox: [] });
    await store.close();

    expect((await serveOnce(location, config(ONCALL))).due).toEqual([]);
    const first = await serveOnce(location, config(ONCALL + LEDGER + LENDING));
    expect(first.due).toEqual([['ledger-genie', 'inc-open']]);
    expect(first.timeline).toContain('opened: notified ledger-genie (target added while open)');
    // The next start finds the entry: no second message.
    const second = await serveOnce(location, config(ONCALL + LEDGER + LENDING));
    expect(second.due).toEqual([['ledger-genie', 'inc-open']]);
    expect(second.timeline.filter((m) => m.includes('ledger-genie'))).toHaveLength(1);
  });
});
