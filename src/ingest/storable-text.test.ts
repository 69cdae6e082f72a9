import { describe, expect, it } from 'vitest';
import type { VigilConfig } from '../model/config.js';
import { isStorableText } from './storable-text.js';
import { createEventValidator } from './validate-event.js';

describe('storable text', () => {
  it.each([
    ['c-42', true],
    ['', true],
    ['Zürich ✓ 日本', true],
    ['a\u0000b', false],
    ['\ud800', false],
    ['x\udc00y', false],
    ['😀', true],
  ])('%j → %s', (text, ok) => expect(isStorableText(text)).toBe(ok));

  it('an event with a NUL in its customerId or an attribute is rejected naming the field', () => {
    const config = {
      journeys: [{ name: 'login', steps: [{ name: 'a', services: [], critical: false }], slos: [] }],
      retention: { rawEventsDays: 35 },
    } as unknown as VigilConfig;
    const validate = createEventValidator(config, () => Date.now());
    const a = validate({ journey: 'login', outcome: 'success', customerId: 'c\u00001' }, 0);
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.rejection).toMatchObject({ code: 'invalid_event', message: expect.stringContaining('customerId') });
    const b = validate({ journey: 'login', outcome: 'success', attributes: { channel: 'web\ud800' } }, 1);
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.rejection.message).toContain('attributes.channel');
  });
});
