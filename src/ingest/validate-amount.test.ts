/** Ingest for journeys with an amount-weighted SLO (docs/api.md ("Rejection codes")): amounts required, one currency. */
import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfigFromString } from '../config/load.js';
import { yaml } from '../config/test-yaml.js';
import { createEventValidator } from './validate-event.js';

const NOW = Date.parse('2026-11-26T10:00:00Z');
const loaded = loadConfigFromString(
  yaml`
    version: vigil/v1
    journeys:
      - name: card-payment
        value: { currency: GBP }
        steps: [ { name: authorise } ]
        slos: [ { name: value, sli: { kind: success, weight: amount } } ]
      - name: login
        steps: [ { name: otp } ]
        slos: [ { name: success, sli: { kind: success } } ]
  `,
  'vigil.yaml',
);
if (!loaded.ok) throw new Error(loaded.errors.map(formatProblem).join('\n'));
const validate = createEventValidator(loaded.config, () => NOW);

describe('ingest with an amount-weighted SLO', () => {
  it.each([
    [{ journey: 'card-payment', outcome: 'failure' }, 'amount_required'],
    [{ journey: 'card-payment', outcome: 'success', amount: -1 }, 'amount_required'],
    [{ journey: 'card-payment', outcome: 'success', amount: 5, currency: 'EUR' }, 'currency_mismatch'],
    [{ journey: 'card-payment', outcome: 'success', amount: 5 }, null],
    [{ journey: 'card-payment', outcome: 'failure', amount: 2_000_000, currency: 'GBP' }, null],
    [{ journey: 'card-payment', outcome: 'rejected' }, null],
    [{ journey: 'card-payment', step: 'authorise', outcome: 'failure' }, null],
    [{ journey: 'login', outcome: 'failure' }, null],
  ] as const)('%j → %s', (event, code) => {
    const result = validate(event, 0);
    expect(result.ok ? null : result.rejection.code).toBe(code);
  });
});
