/**
 * A short fingerprint of a node's configuration (docs/scale-out.md ("The nodes")): two nodes with the same fingerprint
 * aggregate the same SLIs the same way. Corrections added through the API are left out: they are in the store, and every
 * node puts them in force by itself (docs/scale-out.md ("Corrections on every node")).
 */
import { createHash } from 'node:crypto';
import type { VigilConfig } from '../../model/config.js';

/** Fingerprints by configuration object. */
const fingerprints = new WeakMap<VigilConfig, string>();

/**
 * The first 12 hex digits of the SHA-256 of the configuration as parsed (notification secrets included in the hash, never
 * shown).
 * @example configFingerprint(config) // '3fa2c19e07bd'
 */
export function configFingerprint(config: VigilConfig): string {
  // A configuration is replaced, never changed, at a reload: hashed once, not at every beat, scrape or request.
  const known = fingerprints.get(config);
  if (known !== undefined) return known;
  const { corrections, ...rest } = config;
  const fromFile = (corrections ?? []).filter((c) => c.source !== 'api');
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ ...rest, corrections: fromFile }))
    .digest('hex')
    .slice(0, 12);
  fingerprints.set(config, fingerprint);
  return fingerprint;
}
