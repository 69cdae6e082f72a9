import { describe, expect, it } from 'vitest';
import { DEFAULT_TIERS } from '../model/config.js';
import { buildJourneyMap, compareStages, type StageInfo, tierRank } from './journey-map.js';
import { stormConfig } from './test-kit.test-suite.js';

const map = buildJourneyMap(stormConfig());

describe('buildJourneyMap', () => {
  it('maps a service to every step that lists it, in configuration order', () => {
    expect(map.stagesOf('core-ledger')).toEqual([
      { journey: 'card-payment', step: 'authorise' },
      { journey: 'sepa-instant', step: 'confirm' },
    ]);
    expect(map.stagesOf('accounts-api')).toEqual([
      { journey: 'open-account', step: 'create-account' },
      { journey: 'view-balance', step: 'balance' },
      { journey: 'statements', step: 'list' },
    ]);
    expect(map.stagesOf('identity')).toEqual([
      { journey: 'login', step: 'credentials' },
      { journey: 'login', step: 'mfa' },
    ]);
  });

  it('knows no stage for a service no step lists', () => {
    expect(map.stagesOf('hr-portal')).toEqual([]);
    expect(map.stagesOf('never-heard-of')).toEqual([]);
  });

  it('describes stages with tier, criticality and position', () => {
    expect(map.stageInfo({ journey: 'sepa-instant', step: 'confirm' })).toEqual({
      journey: 'sepa-instant',
      step: 'confirm',
      tier: 'critical',
      tierRank: 3,
      critical: true,
      stepIndex: 1,
    });
    expect(map.stageInfo({ journey: 'login', step: null })).toMatchObject({ tier: 'core', tierRank: 2, critical: false, stepIndex: -1 });
    expect(map.stageInfo({ journey: 'login', step: 'nope' })).toBeNull();
    expect(map.stageInfo({ journey: 'nope', step: null })).toBeNull();
  });

  it('keeps journey value and steps', () => {
    const journey = map.journeys.get('open-account');
    expect(journey?.value).toEqual({ currency: 'GBP', revenuePerSuccess: 85 });
    expect(journey?.steps.map((s) => [s.name, s.critical])).toEqual([
      ['details', false],
      ['identity-check', true],
      ['create-account', true],
    ]);
    expect(map.journeys.get('view-balance')?.value).toBeNull();
  });

  it('lists a service once per step even when the step names it twice', () => {
    const twice = buildJourneyMap({
      tiers: DEFAULT_TIERS,
      journeys: [{ name: 'j', displayName: 'J', tier: 'core', steps: [{ name: 's', services: ['a', 'a'], critical: false }], slos: [] }],
    });
    expect(twice.stagesOf('a')).toEqual([{ journey: 'j', step: 's' }]);
  });
});

describe('tierRank', () => {
  const tiers = {
    ...DEFAULT_TIERS,
    regulatory: { name: 'regulatory', objective: 99.98 },
    gold: { name: 'gold', objective: 99.995 },
    bronze: { name: 'bronze', objective: 99 },
  };
  it.each([
    ['critical', 3],
    ['core', 2],
    ['standard', 1],
    ['informational', 0],
    ['regulatory', 2],
    ['gold', 3],
    ['bronze', 0],
    ['unknown', 0],
  ])('%s ranks %i', (tier, rank) => {
    expect(tierRank(tier, tiers)).toBe(rank);
  });
});

describe('compareStages', () => {
  const info = (journey: string, step: string | null): StageInfo => map.stageInfo({ journey, step })!;
  it('puts higher tiers, then critical steps, then journey name and step order first', () => {
    const sorted = [
      info('statements', 'download'),
      info('login', 'credentials'),
      info('card-payment', 'screen'),
      info('login', 'mfa'),
      info('card-payment', 'authorise'),
      info('sepa-instant', 'confirm'),
    ]
      .sort(compareStages)
      .map((s) => `${s.journey}/${s.step}`);
    expect(sorted).toEqual([
      'card-payment/authorise',
      'sepa-instant/confirm',
      'card-payment/screen',
      'login/mfa',
      'login/credentials',
      'statements/download',
    ]);
  });
});
