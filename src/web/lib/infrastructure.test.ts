import { describe, expect, it } from 'vitest';
import { ApiError, optional } from './api.js';
import { service } from './fixtures.test-data.js';
import { infrastructureOf, journeyServices, servicesByName } from './infrastructure.js';

describe('infrastructureOf', () => {
  const byName = servicesByName([service('a'), service('b', ['Down', 'Slow']), service('c')]);
  it('counts distinct services, green when no alert fires or the service is not in the catalogue', () => {
    const view = infrastructureOf(['a', 'b', 'b', 'unknown'], byName);
    expect(view).toMatchObject({ services: 3, green: 2 });
    expect(view.share).toBeCloseTo(2 / 3, 12);
    expect(view.firing.map((f) => `${f.service}:${f.alert.name}`)).toEqual(['b:Down', 'b:Slow']);
  });
  it('has no share without services', () => {
    expect(infrastructureOf([], byName)).toEqual({ services: 0, green: 0, share: null, firing: [] });
  });
  it('lists a journey’s services once, in step order', () => {
    expect(journeyServices([{ services: ['x', 'y'] }, { services: ['y', 'z'] }])).toEqual(['x', 'y', 'z']);
  });
});

describe('optional', () => {
  it('is null when the endpoint does not exist on this server, and rethrows other errors', async () => {
    expect(await optional(Promise.reject(new ApiError(404, 'route_not_found', 'no route')))).toBeNull();
    expect(await optional(Promise.resolve(5))).toBe(5);
    await expect(optional(Promise.reject(new ApiError(404, 'journey_not_found', 'no journey')))).rejects.toThrow('no journey');
    await expect(optional(Promise.reject(new ApiError(500, 'internal_error', 'boom')))).rejects.toThrow('boom');
  });
});
