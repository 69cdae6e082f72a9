import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, VigilError } from './catalogue.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('the error catalogue', () => {
  it.each(Object.entries(ERROR_CATALOGUE))('documents %s with its HTTP status', (code, { status }) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row, `docs/errors.md has no row for ${code}`).toBeDefined();
    expect(row).toContain(`| ${status} |`);
  });

  it('documents no code that does not exist', () => {
    const documented = [...doc.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
  });

  it('serialises to the one error shape and keeps the cause', () => {
    const cause = new Error('disk full');
    const error = new VigilError('store_unavailable', 'cannot open vigil.db', { cause });
    expect(error.toJSON()).toEqual({ error: { code: 'store_unavailable', message: 'cannot open vigil.db' } });
    expect(error.status).toBe(503);
    expect(error.cause).toBe(cause);
  });
});
