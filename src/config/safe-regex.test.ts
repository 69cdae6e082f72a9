// Service-rule regular expressions: shapes that can backtrack exponentially are refused, by the check and by `vigil validate`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVigil, tempDir } from '../../test/helpers/vigil-process.js';
import { createServiceResolver, MAX_MATCHED_LABEL_LENGTH } from '../incidents/service-mapping.js';
import { DEFAULT_SERVICE_LABELS } from '../model/config.js';
import { loadConfigFromString } from './load.js';
import { regexHazard } from './safe-regex.js';

const accepted = [
  'core-ledger',
  'core-(ledger|payments)',
  'ledger-\\d+',
  '[a-z]+-[0-9]{1,3}',
  '(ledger|payments)?-api',
  '(ab)+',
  '(?:prod|staging)-.*',
  '(?<env>prod)-db',
  '[(+*]+x',
  '\\(a+\\)+',
  'a+?b*?',
  '(a){2,3}',
];
const refused: [pattern: string, why: RegExp][] = [
  ['(a+)+$', /quantifier applied to a group that itself contains a quantifier/],
  ['(a*)*', /group that itself contains a quantifier/],
  ['(x+x+)+y', /group that itself contains a quantifier/],
  ['((ab)*c)+', /group that itself contains a quantifier/],
  ['(a?){3,}', /group that itself contains a quantifier/],
  ['(\\d+){2}', /group that itself contains a quantifier/],
  ['(a|aa)+', /repeated group containing alternation/],
  ['(a|a)*$', /repeated group containing alternation/],
  ['(x)\\1', /backreference/],
  ['(?<n>x)\\k<n>', /backreference/],
  ['a(?=b)', /lookaround/],
  ['(?<!a)b', /lookaround/],
];

describe('regexHazard', () => {
  it.each(accepted)('accepts %s', (pattern) => {
    expect(regexHazard(pattern)).toBeNull();
  });
  it.each(refused)('refuses %s', (pattern, why) => {
    expect(regexHazard(pattern)).toMatch(why);
  });
});

const config = (pattern: string) => `version: vigil/v1
journeys:
  - name: login
    steps: [ { name: password, services: [auth] } ]
    slos: [ { name: success, sli: { kind: success } } ]
alerting:
  serviceRules:
    - match: { instance: '/${pattern}/' }
      service: auth
`;

describe('service rules', () => {
  it('refuse an evil pattern with file:line:col', () => {
    const loaded = loadConfigFromString(config('(a+)+$'), 'vigil.yaml');
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map((p) => `${p.file}:${p.line}:${p.column}`)).toEqual(['vigil.yaml:8:26']);
    expect(loaded.errors[0]!.message).toMatch(/unsafe regular expression '\/\(a\+\)\+\$\/'/);
  });

  it('never match a label longer than the bound, and stay fast on it', () => {
    const loaded = loadConfigFromString(config('a.*b'), 'vigil.yaml');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const resolve = createServiceResolver({ ...loaded.config.alerting, serviceLabels: DEFAULT_SERVICE_LABELS });
    expect(resolve({ labels: { instance: `a${'x'.repeat(100)}b` } })).toBe('auth');
    expect(resolve({ labels: { instance: `a${'x'.repeat(MAX_MATCHED_LABEL_LENGTH)}b` } })).toBeNull();
  });

  it('vigil validate refuses an evil pattern', async () => {
    const { dir, cleanup } = tempDir();
    try {
      writeFileSync(join(dir, 'vigil.yaml'), config('(a+)+$'));
      const { code, stdout, stderr } = await runVigil(['validate', join(dir, 'vigil.yaml')]);
      expect(code).not.toBe(0);
      expect(stdout + stderr).toMatch(/vigil\.yaml:8:\d+.*unsafe regular expression/);
    } finally {
      cleanup();
    }
  });
});
