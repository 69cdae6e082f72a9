/**
 * The worked example of docs/value.md ("Where to invest") as a vigil.yaml: `pay` (€2 an attempt) with a step on `api` and
 * `ledger`, `cards` valued by fee, and `noisy`, a critical service no journey uses. Shared by the route test and the
 * end-to-end test of `vigil services --ranking`.
 */
export const WORKED_EXAMPLE_CONFIG = `version: vigil/v1
services:
  - { name: ledger, owner: core-banking }
  - { name: noisy, tier: critical }
journeys:
  - name: pay
    tier: critical
    value: { currency: EUR, revenuePerSuccess: 2 }
    steps:
      - { name: send, services: [api, ledger] }
    slos:
      - { name: send-ok, objective: 99, window: 28d, sli: { kind: success, step: send } }
  - name: cards
    tier: standard
    value: { currency: GBP, feeRate: 0.01 }
    steps:
      - { name: auth, services: [cards-api] }
`;
