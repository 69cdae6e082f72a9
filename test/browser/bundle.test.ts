/** The dashboard's production bundle, as `npm run build` leaves it in dist/web: complete and at most 300 KB gzipped. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/vigil-process.js';

const WEB = join(ROOT, 'dist', 'web');
const LIMIT_BYTES = 300 * 1024;

describe('dashboard bundle', () => {
  it('is built, references only files that exist, and weighs at most 300 KB gzipped', () => {
    expect(existsSync(join(WEB, 'index.html')), 'dist/web/index.html is missing: run npm run build').toBe(true);
    const index = readFileSync(join(WEB, 'index.html'), 'utf8');
    const referenced = [...index.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(referenced.some((r) => r.endsWith('.js'))).toBe(true);
    for (const file of referenced) expect(existsSync(join(WEB, file)), file).toBe(true);
    const assets = readdirSync(join(WEB, 'assets'));
    const gzipped = assets.reduce((sum, file) => sum + gzipSync(readFileSync(join(WEB, 'assets', file)), { level: 9 }).length, 0);
    console.log(`dashboard bundle: ${assets.length} files, ${(gzipped / 1024).toFixed(1)} KB gzipped (limit ${LIMIT_BYTES / 1024} KB)`);
    expect(gzipped).toBeLessThanOrEqual(LIMIT_BYTES);
  });
});
