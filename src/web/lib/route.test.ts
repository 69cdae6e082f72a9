import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY } from './history.js';
import { href, parseRoute } from './route.js';

describe('parseRoute', () => {
  it.each([
    ['', { page: 'overview' }],
    ['#/', { page: 'overview' }],
    ['#/journeys/card-payment', { page: 'journey', journey: 'card-payment', step: null }],
    ['#/journeys/card-payment?step=authorise', { page: 'journey', journey: 'card-payment', step: 'authorise' }],
    ['#/journeys/sepa-instant/slos/within-regulatory-limit', { page: 'slo', journey: 'sepa-instant', slo: 'within-regulatory-limit' }],
    ['#/journeys/card-payment/value', { page: 'value', journey: 'card-payment', period: null }],
    ['#/journeys/card-payment/value?period=2026-10', { page: 'value', journey: 'card-payment', period: '2026-10' }],
    ['#/journeys/card-payment/retention', { page: 'retention', journey: 'card-payment', period: 'month' }],
    ['#/journeys/card-payment/retention?period=week', { page: 'retention', journey: 'card-payment', period: 'week' }],
    ['#/incidents', { page: 'incidents' }],
    ['#/incidents/inc-7', { page: 'incident', id: 'inc-7' }],
    ['#/competition', { page: 'competition' }],
    ['#/history', { page: 'history', filters: DEFAULT_HISTORY }],
    ['#/history?priority=P1&q=ledger', { page: 'history', filters: { ...DEFAULT_HISTORY, priority: ['P1'], q: 'ledger' } }],
    ['#/nowhere/at/all', { page: 'not-found', hash: '#/nowhere/at/all' }],
  ])('%s', (hash, route) => expect(parseRoute(hash)).toEqual(route));

  it('round-trips what href builds, names with odd characters included', () => {
    expect(parseRoute(href.slo('a b', 'x/y'))).toEqual({ page: 'slo', journey: 'a b', slo: 'x/y' });
    expect(parseRoute(href.journey('j', 's 1'))).toEqual({ page: 'journey', journey: 'j', step: 's 1' });
    expect(parseRoute(href.incidents('i/ö'))).toEqual({ page: 'incident', id: 'i/ö' });
    const filters = { ...DEFAULT_HISTORY, journey: 'a b', status: ['open'], cursor: 'x_y-z', skip: 50 };
    expect(parseRoute(href.history(filters))).toEqual({ page: 'history', filters });
    expect(parseRoute(href.overview())).toEqual({ page: 'overview' });
    expect(parseRoute(href.value('a b', '2026-10'))).toEqual({ page: 'value', journey: 'a b', period: '2026-10' });
    expect(parseRoute(href.value('j'))).toEqual({ page: 'value', journey: 'j', period: null });
    expect(parseRoute(href.retention('a b', 'week'))).toEqual({ page: 'retention', journey: 'a b', period: 'week' });
  });
});
