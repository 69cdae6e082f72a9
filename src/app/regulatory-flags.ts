/**
 * The body of PUT /api/v1/incidents/{id}/regulatory/flags (docs/api.md ("Regulatory report"), docs/dora.md ("Person flags")):
 * each flag's value checked against its kind, null to clear it, one optional note for all of them.
 */
import { VigilError } from '../errors/catalogue.js';
import { parseRfc3339 } from '../ingest/timestamp.js';
import { minorDigits, money } from '../model/money.js';
import { REGULATORY_FLAGS, type RegulatoryFlagName, type RegulatoryFlagValue } from '../model/regulation.js';

export const MAX_FLAG_TEXT = 200;
export const MAX_FLAG_NOTE = 2000;

export interface FlagsPatch {
  flags: { name: RegulatoryFlagName; value: RegulatoryFlagValue }[];
  note: string | null;
}

const refuse = (message: string): never => {
  throw new VigilError('invalid_regulatory_flags', message);
};

function flagValue(name: RegulatoryFlagName, raw: unknown, currency: string): RegulatoryFlagValue {
  if (raw === null) return null;
  switch (REGULATORY_FLAGS[name]) {
    case 'boolean':
      return typeof raw === 'boolean' ? raw : refuse(`${name}: expected true, false or null, got ${JSON.stringify(raw)}`);
    case 'text':
      return typeof raw === 'string' && raw.trim() !== '' && raw.length <= MAX_FLAG_TEXT
        ? raw.trim()
        : refuse(`${name}: expected a non-empty string of at most ${MAX_FLAG_TEXT} characters, or null`);
    case 'instant': {
      const at = typeof raw === 'string' ? parseRfc3339(raw) : undefined;
      return at ?? refuse(`${name}: expected an RFC 3339 time such as 2026-12-03T14:05:00Z, or null, got ${JSON.stringify(raw)}`);
    }
    case 'money': {
      const m = raw as { amount?: unknown; currency?: unknown };
      const keys = typeof raw === 'object' && !Array.isArray(raw) ? Object.keys(raw) : [];
      const shape = keys.length === 2 && typeof m.amount === 'number' && Number.isFinite(m.amount) && m.amount >= 0;
      if (!shape || typeof m.currency !== 'string')
        return refuse(`${name}: expected { "amount": a number ≥ 0, "currency": "${currency}" }, or null`);
      if (m.currency !== currency)
        return refuse(`${name}: expected an amount in ${currency} (regulation.dora.economicImpact.currency), got ${m.currency}`);
      const amount = m.amount as number;
      if (Math.round(amount * 10 ** minorDigits(currency)) / 10 ** minorDigits(currency) !== amount)
        return refuse(`${name}: expected a whole number of ${currency} minor units, got ${amount}`);
      return money(amount, currency);
    }
  }
}

/**
 * The flags of a PUT body. `by` is not read here (the route takes the actor from the token). Throws invalid_regulatory_flags.
 * @example parseFlagsBody({ dataLoss: true, note: 'customer records exposed' }, 'EUR') // { flags: [{ name: 'dataLoss', value: true }], note: '…' }
 */
export function parseFlagsBody(body: unknown, currency: string): FlagsPatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return refuse('body: expected an object such as { "dataLoss": true, "note": "why" }');
  const flags: FlagsPatch['flags'] = [];
  let note: string | null = null;
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'by') continue;
    if (key === 'note') {
      if (raw !== null && (typeof raw !== 'string' || raw.length > MAX_FLAG_NOTE))
        refuse(`note: expected a string of at most ${MAX_FLAG_NOTE} characters, or null`);
      note = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null;
      continue;
    }
    if (!(key in REGULATORY_FLAGS)) refuse(`${key}: not a flag; expected one of ${Object.keys(REGULATORY_FLAGS).join(', ')}, note, by`);
    const name = key as RegulatoryFlagName;
    flags.push({ name, value: flagValue(name, raw, currency) });
  }
  if (flags.length === 0) refuse(`body: expected at least one flag of ${Object.keys(REGULATORY_FLAGS).join(', ')}`);
  return { flags, note };
}
