/**
 * A short fingerprint of a node's configuration (docs/scale-out.md ("The nodes")): two nodes with the same fingerprint
 * aggregate the same SLIs the same way. Corrections added through the API are left out: they are in the store, and every
 * node puts them in force by itself (docs/scale-out.md ("Corrections on every node")).
 */
import { createHash } from 'node:crypto';
import type { VigilConfig } from '../../model/config.js';

/**
 * The first 12 hex digits of the SHA-256 of the configuration as parsed (notification secrets included in the hash, never
 * shown).
 * @example configFingerprint(config) // '3fa2c19e07bd'
 */
export function configFingerprint(config: VigilConfig): string {
  const { corrections, ...rest } = config;
  const fromFile = (corrections ?? []).filter((c) => c.source !== 'api');
  return createHash('sha256')
    .update(JSON.stringify({ ...rest, corrections: fromFile }))
    .digest('hex')
    .slice(0, 12);
}
