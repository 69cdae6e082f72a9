import { describe, expect, it } from 'vitest';
import { href, parseRoute } from './route.js';

describe('parseRoute', () => {
  it.each([
    ['', { page: 'overview' }],
    ['#/', { page: 'overview' }],
    ['#/journeys/card-payment', { page: 'journey', journey: 'card-payment', step: null }],
    ['#/journeys/card-payment?step=authorise', { page: 'journey', journey: 'card-payment', step: 'authorise' }],
    ['#/journeys/sepa-instant/slos/within-regulatory-limit', { page: 'slo', journey: 'sepa-instant', slo: 'within-regulatory-limit' }],
    ['#/incidents', { page: 'incidents', incident: null }],
    ['#/incidents/inc-7', { page: 'incidents', incident: 'inc-7' }],
    ['#/nowhere/at/all', { page: 'not-found', hash: '#/nowhere/at/all' }],
  ])('%s', (hash, route) => expect(parseRoute(hash)).toEqual(route));

  it('round-trips what href builds, names with odd characters included', () => {
    expect(parseRoute(href.slo('a b', 'x/y'))).toEqual({ page: 'slo', journey: 'a b', slo: 'x/y' });
    expect(parseRoute(href.journey('j', 's 1'))).toEqual({ page: 'journey', journey: 'j', step: 's 1' });
    expect(parseRoute(href.incidents('i'))).toEqual({ page: 'incidents', incident: 'i' });
    expect(parseRoute(href.overview())).toEqual({ page: 'overview' });
  });
});
