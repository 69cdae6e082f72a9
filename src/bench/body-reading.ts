/** Bench: what reading a request body safely costs — strict UTF-8 decoding and the bounded JSON walk — against the unchecked baseline. */
import { decodeUtf8Strict, parseJsonBody } from '../server/json-body.js';

export interface BodyReadingResult {
  bytes: number;
  /** Strict (fatal) UTF-8 decoding ÷ Buffer.toString('utf8'), which replaces bad bytes. */
  decodeRatio: number;
  /** parseJsonBody (JSON.parse + the iterative depth/text/key walk) ÷ JSON.parse alone. */
  parseRatio: number;
}

/** Mean milliseconds of `run` over `rounds`, after one warm-up. */
function meanMs(run: () => unknown, rounds: number): number {
  run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) run();
  return Number(process.hrtime.bigint() - start) / 1e6 / rounds;
}

/**
 * An Alertmanager-shaped payload of 2,000 alerts (about 700 KiB), read both ways.
 * @example const { decodeRatio, parseRatio } = benchBodyReading();
 */
export function benchBodyReading(rounds = 30): BodyReadingResult {
  const alerts = Array.from({ length: 2000 }, (_, i) => ({
    status: 'firing',
    labels: { alertname: 'CoreLedgerDown', service: 'core-ledger', instance: `ledger-${i}:9100`, severity: 'critical' },
    annotations: { summary: `core-ledger ledger-${i} is down`, description: 'Zahlungsverkehr gestört — ledger unreachable' },
    startsAt: '2026-11-26T09:59:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    fingerprint: `fp${i}`,
  }));
  const text = JSON.stringify({ version: '4', alerts });
  const bytes = Buffer.from(text);
  const decodeRatio = meanMs(() => decodeUtf8Strict(bytes), rounds) / meanMs(() => bytes.toString('utf8'), rounds);
  const parseRatio = meanMs(() => parseJsonBody(text), rounds) / meanMs(() => JSON.parse(text), rounds);
  return { bytes: bytes.length, decodeRatio, parseRatio };
}
