import { describe, expect, it } from 'vitest';
import { sliContribution, sliDefinitions } from '../engine/sli.js';
import { stormFor } from './alert-storm.js';
import { loadBankConfig } from './bank.js';
import { MAINTENANCE_FAILURE, maintenanceIncidents } from './scenario.js';
import { generateTraffic } from './traffic.js';

const HOUR = 3_600_000;

describe('the demo\'s Sunday maintenance window on statements (docs/slo-maths.md ("Corrections"))', () => {
  it('plays each Sunday 06:00–08:00 London as failing downloads, in summer and winter time, with no technical alert', async () => {
    const config = await loadBankConfig();
    // 18 October 2026 is in British Summer Time (UTC+1), 1 November in GMT.
    const windows = maintenanceIncidents(config, Date.UTC(2026, 9, 12), Date.UTC(2026, 10, 3));
    expect(windows.map((w) => [new Date(w.startMs).toISOString(), new Date(w.endMs).toISOString()])).toEqual([
      ['2026-10-18T05:00:00.000Z', '2026-10-18T07:00:00.000Z'],
      ['2026-10-25T06:00:00.000Z', '2026-10-25T08:00:00.000Z'], // the clocks went back at 02:00 that morning
      ['2026-11-01T06:00:00.000Z', '2026-11-01T08:00:00.000Z'],
    ]);
    for (const w of windows) {
      expect(w).toMatchObject({ journeys: ['statements'], step: 'download', severity: MAINTENANCE_FAILURE, maintenance: true });
      expect(stormFor(w, config, 7)).toEqual([]);
    }
  });

  it('its failures reach the stored events but no SLO of statements counts them', async () => {
    const config = await loadBankConfig();
    const windows = maintenanceIncidents(config, Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 29));
    expect(windows).toHaveLength(4);
    const statements = config.journeys.find((j) => j.name === 'statements')!;
    const defs = sliDefinitions([statements], config.corrections ?? [], config.defaults.timezone);
    let failedDownloads = 0;
    let counted = 0;
    for (const window of windows) {
      for (const batch of generateTraffic({ config, fromMs: window.startMs, toMs: window.endMs, seed: 7, incidents: [window] })) {
        for (const event of batch) {
          if (event.journey !== 'statements') continue;
          if (event.step === 'download' && event.outcome === 'failure') failedDownloads += 1;
          for (const def of defs) counted += sliContribution(def, event).total;
        }
      }
    }
    expect(failedDownloads).toBeGreaterThan(0);
    expect(counted).toBe(0);
    // An hour later, outside the window, the same SLOs count again.
    let after = 0;
    const last = windows[windows.length - 1]!;
    for (const batch of generateTraffic({ config, fromMs: last.endMs + HOUR, toMs: last.endMs + 2 * HOUR, seed: 7, incidents: [] })) {
      for (const event of batch) if (event.journey === 'statements') for (const def of defs) after += sliContribution(def, event).total;
    }
    expect(after).toBeGreaterThan(0);
  });
});
