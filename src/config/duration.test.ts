import { describe, expect, it } from 'vitest';
import { MAX_WINDOW_MINUTES, parseDurationMinutes, parseWindow } from './duration.js';

describe('parseWindow', () => {
  const good: [string, ReturnType<typeof parseWindow>][] = [
    ['1m', { ok: true, value: { kind: 'rolling', minutes: 1, text: '1m' } }],
    ['30m', { ok: true, value: { kind: 'rolling', minutes: 30, text: '30m' } }],
    ['6h', { ok: true, value: { kind: 'rolling', minutes: 360, text: '6h' } }],
    ['1d', { ok: true, value: { kind: 'rolling', minutes: 1440, text: '1d' } }],
    ['28d', { ok: true, value: { kind: 'rolling', minutes: 40320, text: '28d' } }],
    ['30d', { ok: true, value: { kind: 'rolling', minutes: 43200, text: '30d' } }],
    ['4w', { ok: true, value: { kind: 'rolling', minutes: 40320, text: '4w' } }],
    ['400d', { ok: true, value: { kind: 'rolling', minutes: 576000, text: '400d' } }],
    ['9600h', { ok: true, value: { kind: 'rolling', minutes: 576000, text: '9600h' } }],
    ['week', { ok: true, value: { kind: 'calendar', unit: 'week', text: 'week' } }],
    ['month', { ok: true, value: { kind: 'calendar', unit: 'month', text: 'month' } }],
    ['quarter', { ok: true, value: { kind: 'calendar', unit: 'quarter', text: 'quarter' } }],
  ];
  it.each(good)('parses %s', (text, result) => {
    expect(parseWindow(text)).toEqual(result);
  });

  const bad: [string, string][] = [
    ['0d', 'at least 1 minute'],
    ['0m', 'at least 1 minute'],
    ['401d', 'at most 400 days'],
    ['58w', 'at most 400 days'],
    ['576001m', 'at most 400 days'],
    ['28', 'rolling window'],
    ['d', 'rolling window'],
    ['1.5h', 'rolling window'],
    ['-1d', 'rolling window'],
    ['+1d', 'rolling window'],
    ['028d', 'rolling window'],
    ['28D', 'rolling window'],
    [' 28d', 'rolling window'],
    ['28 d', 'rolling window'],
    ['1y', 'rolling window'],
    ['30s', 'rolling window'],
    ['Month', 'rolling window'],
    ['year', 'rolling window'],
    ['', 'rolling window'],
  ];
  it.each(bad)('rejects %j', (text, fragment) => {
    const result = parseWindow(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain(fragment);
      expect(result.message).toContain(`'${text}'`);
    }
  });

  it('caps rolling windows at exactly 400 days', () => {
    expect(MAX_WINDOW_MINUTES).toBe(400 * 1440);
  });
});

describe('parseDurationMinutes', () => {
  const good: [string, number][] = [
    ['1m', 1],
    ['10m', 10],
    ['2h', 120],
    ['35d', 50400],
    ['1w', 10080],
    ['1000d', 1_440_000],
  ];
  it.each(good)('parses %s as %d minutes', (text, minutes) => {
    expect(parseDurationMinutes(text)).toEqual({ ok: true, value: minutes });
  });

  const bad: [string, string][] = [
    ['0m', 'greater than zero'],
    ['10', 'such as 10m'],
    ['10 m', 'such as 10m'],
    ['1.5h', 'such as 10m'],
    ['-5m', 'such as 10m'],
    ['10s', 'such as 10m'],
    ['month', 'such as 10m'],
  ];
  it.each(bad)('rejects %j', (text, fragment) => {
    const result = parseDurationMinutes(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(fragment);
  });
});
