import { describe, expect, it } from 'vitest';
import { isNdjson, parseEventsBody } from './parse-body.js';

const NDJSON = 'application/x-ndjson';
const a = { journey: 'a', outcome: 'success' };
const b = { journey: 'b', outcome: 'failure' };

describe('isNdjson', () => {
  it.each([
    ['application/x-ndjson', true],
    ['application/ndjson', true],
    ['Application/X-NDJSON; charset=utf-8', true],
    [' application/ndjson ;charset=utf-8', true],
    ['application/json', false],
    ['text/plain', false],
    [undefined, false],
  ])('%s → %s', (contentType, expected) => {
    expect(isNdjson(contentType)).toBe(expected);
  });
});

describe('parseEventsBody as JSON', () => {
  it('reads one object as one item at index 0', () => {
    expect(parseEventsBody(JSON.stringify(a), 'application/json')).toEqual({ items: [{ index: 0, value: a }], rejections: [] });
  });

  it('reads an array as one item per element, whatever the elements are', () => {
    const parsed = parseEventsBody(JSON.stringify([a, 'x', b, null]), 'application/json; charset=utf-8');
    expect(parsed.items).toEqual([
      { index: 0, value: a },
      { index: 1, value: 'x' },
      { index: 2, value: b },
      { index: 3, value: null },
    ]);
    expect(parsed.rejections).toEqual([]);
  });

  it('treats a missing content type as JSON', () => {
    expect(parseEventsBody(JSON.stringify([a]), undefined).items).toEqual([{ index: 0, value: a }]);
  });

  it('rejects a body that is not JSON as a whole, once, at index 0', () => {
    const parsed = parseEventsBody(`${JSON.stringify(a)}\n${JSON.stringify(b)}`, 'application/json');
    expect(parsed.items).toEqual([]);
    expect(parsed.rejections).toHaveLength(1);
    expect(parsed.rejections[0]).toMatchObject({ index: 0, code: 'invalid_json' });
    expect(parsed.rejections[0]!.message).toMatch(/^body: /);
  });

  it.each(['', '   \n\t\r\n'])('reads an empty body %j as no items and no rejections', (body) => {
    expect(parseEventsBody(body, 'application/json')).toEqual({ items: [], rejections: [] });
  });

  it('reads an empty array as no items', () => {
    expect(parseEventsBody('[]', 'application/json')).toEqual({ items: [], rejections: [] });
  });

  it('skips a UTF-8 byte order mark', () => {
    expect(parseEventsBody(`\uFEFF${JSON.stringify(a)}`, 'application/json').items).toEqual([{ index: 0, value: a }]);
  });

  it('shortens long parser messages', () => {
    const parsed = parseEventsBody(`{"journey": "${'x'.repeat(5000)}`, 'application/json');
    expect(parsed.rejections[0]!.message.length).toBeLessThanOrEqual(220);
  });
});

describe('parseEventsBody as NDJSON', () => {
  it('reads one item per line', () => {
    const parsed = parseEventsBody(`${JSON.stringify(a)}\n${JSON.stringify(b)}\n`, NDJSON);
    expect(parsed).toEqual({
      items: [
        { index: 0, value: a },
        { index: 1, value: b },
      ],
      rejections: [],
    });
  });

  it('rejects a bad line in the middle with its index and line number and keeps the others', () => {
    const body = [JSON.stringify(a), '{"journey": "a", "outcome": ', JSON.stringify(b)].join('\n');
    const parsed = parseEventsBody(body, NDJSON);
    expect(parsed.items).toEqual([
      { index: 0, value: a },
      { index: 2, value: b },
    ]);
    expect(parsed.rejections).toHaveLength(1);
    expect(parsed.rejections[0]).toMatchObject({ index: 1, code: 'invalid_json' });
    expect(parsed.rejections[0]!.message).toMatch(/^line 2: /);
  });

  it('skips blank lines without giving them an index, and names the real line number', () => {
    const body = `\n${JSON.stringify(a)}\n\n   \n{oops}\r\n${JSON.stringify(b)}`;
    const parsed = parseEventsBody(body, 'application/ndjson');
    expect(parsed.items).toEqual([
      { index: 0, value: a },
      { index: 2, value: b },
    ]);
    expect(parsed.rejections).toMatchObject([{ index: 1, code: 'invalid_json' }]);
    expect(parsed.rejections[0]!.message).toMatch(/^line 5: /);
  });

  it('accepts CRLF line ends and a last line without a newline', () => {
    const parsed = parseEventsBody(`${JSON.stringify(a)}\r\n${JSON.stringify(b)}`, NDJSON);
    expect(parsed.items.map((item) => item.value)).toEqual([a, b]);
    expect(parsed.rejections).toEqual([]);
  });

  it('reads a line holding an array as one value (the validator refuses it)', () => {
    expect(parseEventsBody(JSON.stringify([a, b]), NDJSON).items).toEqual([{ index: 0, value: [a, b] }]);
  });

  it('reads an empty body as no items', () => {
    expect(parseEventsBody('', NDJSON)).toEqual({ items: [], rejections: [] });
    expect(parseEventsBody('\n\n', NDJSON)).toEqual({ items: [], rejections: [] });
  });

  it('reads a large batch line by line', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => (i % 1000 === 999 ? 'not json' : JSON.stringify({ ...a, id: `e${i}` })));
    const parsed = parseEventsBody(lines.join('\n'), NDJSON);
    expect(parsed.items).toHaveLength(4995);
    expect(parsed.rejections.map((r) => r.index)).toEqual([999, 1999, 2999, 3999, 4999]);
    expect(parsed.items[4994]).toEqual({ index: 4998, value: { ...a, id: 'e4998' } });
  });
});
