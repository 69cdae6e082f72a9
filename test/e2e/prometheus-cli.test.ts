/**
 * The real `vigil` CLI (docs/cli.md): `vigil import sloth` with Sloth's flags writes Sloth's golden outputs, refuses
 * what Sloth refuses with a located reason, and `vigil rules prometheus` writes for the demo bank a file that
 * `promtool check rules` accepts (docs/prometheus.md ("Importing Sloth specs")).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROMTOOL, prometheusBinariesPresent, promtool, renderGolden, ruleStructure } from '../helpers/rule-files.js';
import { ROOT, runVigil, tempDir } from '../helpers/vigil-process.js';

const DATA = join(ROOT, 'test', 'conformance', 'sloth', 'prometheus-testdata');
const VERSION = `vigil-${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}`;
const temp = tempDir('vigil-rules-cli-');
afterAll(() => temp.cleanup());

const golden = (name: string) => ruleStructure(renderGolden(readFileSync(join(DATA, name), 'utf8'), VERSION));

describe('vigil import sloth', () => {
  it.each([
    [['in-base.yaml'], 'out-base.yaml.tpl'],
    [['in-base.yaml', '--disable-alerts'], 'out-base-no-alerts.yaml.tpl'],
    [['in-base.yaml', '--disable-recordings'], 'out-base-no-recordings.yaml.tpl'],
    [['in-base.yaml', '-l', 'exk1=exv1', '--extra-labels', 'exk2=exv2'], 'out-base-extra-labels.yaml.tpl'],
    [['in-base.yaml', '--default-slo-period', '28d'], 'out-base-28d.yaml.tpl'],
    [
      ['in-base.yaml', '--default-slo-period', '7d', '--windows-dir', join(ROOT, 'test/conformance/sloth/examples/windows')],
      'out-base-custom-windows-7d.yaml.tpl',
    ],
    [['in-base-k8s.yaml'], 'out-base-k8s.yaml.tpl'],
  ])('%j → %s', { timeout: 120_000 }, async (args, out) => {
    const [input, ...flags] = args;
    const { code, stdout, stderr } = await runVigil(['import', 'sloth', join(DATA, input!), ...flags]);
    expect(code, stderr).toBe(0);
    expect(ruleStructure(stdout)).toEqual(golden(out));
  });

  it('writes to --out, and names the keys Sloth ignores on standard error', { timeout: 120_000 }, async () => {
    const out = join(temp.dir, 'good-aa.yaml');
    const file = join(DATA, 'validate', 'good', 'good-aa.yaml');
    const { code, stdout, stderr } = await runVigil(['import', 'sloth', file, '--out', out]);
    expect(code, stderr).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(`warning: ${file}:21:7: slos[0].alerting.pageAlert: not a key Sloth reads`);
    expect(readFileSync(out, 'utf8')).toContain('name: sloth-slo-alerts-svc01-slo1');
  });

  it('refuses an unknown version with sloth_spec_invalid, file, line and column', { timeout: 120_000 }, async () => {
    const file = join(DATA, 'in-invalid-version.yaml');
    const { code, stdout, stderr } = await runVigil(['import', 'sloth', file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('[sloth_spec_invalid]');
    expect(stderr).toContain(`${file}:1:10: version: unsupported spec version 'prometheus/v999'`);
  });

  it('refuses a period it has no windows for, and a malformed -l', { timeout: 120_000 }, async () => {
    const period = await runVigil(['import', 'sloth', join(DATA, 'in-base.yaml'), '--default-slo-period', '14d']);
    expect(period.code).toBe(1);
    expect(period.stderr).toContain('no alert windows for a 14 day SLO period');
    const label = await runVigil(['import', 'sloth', join(DATA, 'in-base.yaml'), '-l', 'not-a-label']);
    expect(label.code).toBe(1);
    expect(label.stderr).toContain('--extra-labels not-a-label: expected name=value');
  });
});

const present = prometheusBinariesPresent();
describe.skipIf(!present)(`vigil rules prometheus and ${PROMTOOL}`, () => {
  it('the demo bank rules pass promtool check rules (lint fatal)', { timeout: 120_000 }, async () => {
    const out = join(temp.dir, 'demo-rules.yaml');
    const { code, stderr } = await runVigil(['rules', 'prometheus', '--config', join(ROOT, 'src/demo/bank.yaml'), '--out', out]);
    expect(code, stderr).toBe(0);
    const check = promtool(['check', 'rules', '--lint-fatal', out]);
    expect(check.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(check.status).toBe(0);
  });

  it('a missing configuration is refused with config_not_found', { timeout: 120_000 }, async () => {
    const { code, stderr } = await runVigil(['rules', 'prometheus', '--config', join(temp.dir, 'missing.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain('[config_not_found]');
  });
});
