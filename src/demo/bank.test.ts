import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadConfigFromString } from '../config/load.js';
import { BANK_CONFIG_PATH, loadBankConfig } from './bank.js';
import { BANK_BEHAVIOUR } from './profiles.js';

describe('bank.yaml', () => {
  it('loads with the real config loader without a single problem', async () => {
    const result = await loadConfig(BANK_CONFIG_PATH);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('is rejected by the loader once broken, so the test above can fail', () => {
    const broken = readFileSync(BANK_CONFIG_PATH, 'utf8').replace('window: month', 'window: fortnight');
    const result = loadConfigFromString(broken, 'bank.yaml');
    expect(result.ok).toBe(false);
  });

  it('describes Northwind Bank: six journeys over the four tiers, with the SLOs the demo relies on', async () => {
    const config = await loadBankConfig();
    expect(config.defaults.timezone).toBe('Europe/London');
    const tiers = Object.fromEntries(config.journeys.map((j) => [j.name, j.tier]));
    expect(tiers).toEqual({
      login: 'core',
      'view-balance': 'standard',
      'card-payment': 'critical',
      'sepa-instant': 'critical',
      'open-account': 'standard',
      statements: 'informational',
    });
    for (const journey of config.journeys) {
      expect(journey.steps.length).toBeGreaterThanOrEqual(2);
      expect(journey.steps.length).toBeLessThanOrEqual(5);
      expect(journey.steps.some((s) => s.critical) || journey.tier === 'informational').toBe(true);
    }
    const sepa = config.journeys.find((j) => j.name === 'sepa-instant')!;
    const regulatory = sepa.slos.find((s) => s.name === 'within-regulatory-limit')!;
    expect(regulatory.sli).toMatchObject({ kind: 'latency', thresholdMs: 10_000 });
    expect(sepa.slos.find((s) => s.sli.step === 'confirm')?.alerting.minEvents).toBeGreaterThan(0);
    expect(sepa.value?.feeRate).toBeGreaterThan(0);
    expect(config.journeys.find((j) => j.name === 'card-payment')?.value?.feeRate).toBeGreaterThan(0);
    const allSlos = config.journeys.flatMap((j) => j.slos);
    expect(allSlos.some((s) => s.sli.abandonedIsBad)).toBe(true);
    expect(config.journeys.find((j) => j.name === 'statements')?.slos.some((s) => s.budgeting === 'timeslices')).toBe(true);
    const windows = allSlos.map((s) => s.window.text);
    expect(windows).toContain('30d');
    expect(windows).toContain('month');
    expect(windows.filter((w) => w === '28d').length).toBeGreaterThan(windows.length / 2);
  });

  it('shares services between journeys, names a catalogue with owners, and has services no journey uses', async () => {
    const config = await loadBankConfig();
    const loginSteps = config.journeys.flatMap((j) => j.steps.filter((s) => s.name === 'login' || s.name === 'credentials'));
    expect(loginSteps.length).toBeGreaterThanOrEqual(4);
    for (const step of loginSteps) expect(step.services).toContain('auth-gateway');
    const journeysUsing = (service: string) => config.journeys.filter((j) => j.steps.some((s) => s.services.includes(service))).length;
    expect(journeysUsing('core-ledger')).toBeGreaterThanOrEqual(3);
    const used = new Set(config.journeys.flatMap((j) => j.steps.flatMap((s) => s.services)));
    for (const service of used) expect(config.services.map((s) => s.name)).toContain(service);
    for (const service of config.services) expect(service.owner).toBeTruthy();
    const unused = config.services.filter((s) => !used.has(s.name));
    expect(unused.length).toBeGreaterThanOrEqual(4);
    expect(unused.length).toBeLessThanOrEqual(6);
  });

  it('has a behaviour profile for every journey and step, and none for steps that do not exist', async () => {
    const config = await loadBankConfig();
    expect(Object.keys(BANK_BEHAVIOUR).sort()).toEqual(config.journeys.map((j) => j.name).sort());
    for (const journey of config.journeys) {
      expect(Object.keys(BANK_BEHAVIOUR[journey.name]!.steps).sort()).toEqual(journey.steps.map((s) => s.name).sort());
    }
  });
});
