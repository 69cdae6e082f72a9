/**
 * `vigil export openslo` and `vigil import openslo` through the built binary (docs/cli.md ("vigil export openslo",
 * "vigil import openslo <paths>"), docs/openslo.md): the demo bank out and back, the corpus's invalid documents refused
 * with located problems, another system's documents named part by part.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runVigil, tempDir } from '../helpers/vigil-process.js';

const temp = tempDir('vigil-openslo-');
afterAll(() => temp.cleanup());

const BANK = join(ROOT, 'src/demo/bank.yaml');
const CORPUS = join(ROOT, 'test/conformance/openslo');

describe('vigil export openslo', () => {
  it('writes the demo bank as OpenSLO v1 on standard output, and says what stays in vigil.yaml', { timeout: 120_000 }, async () => {
    const { code, stdout, stderr } = await runVigil(['export', 'openslo', '--config', BANK]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# OpenSLO v1 documents written by `vigil export openslo`/);
    expect(stdout.match(/^kind: SLO$/gm)).toHaveLength(13);
    expect(stdout.match(/^kind: Service$/gm)).toHaveLength(6);
    expect(stdout).toContain('query: vigil_slo_events_total{journey="sepa-instant",slo="within-regulatory-limit",result="good"}');
    expect(stderr).toBe(
      'exported 6 journeys and 13 SLOs as 125 OpenSLO v1 objects\n' +
        'not exported (OpenSLO has no object for them; they stay in vigil.yaml): services, corrections, signals\n',
    );
  });

  it('a missing configuration is a coded error', { timeout: 120_000 }, async () => {
    const { code, stderr } = await runVigil(['export', 'openslo', '--config', join(temp.dir, 'none.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain('[config_not_found]');
  });
});

describe('vigil import openslo', () => {
  it('reads the export of the demo bank back into a vigil.yaml that validates, naming nothing as left out', {
    timeout: 120_000,
  }, async () => {
    const dir = join(temp.dir, 'round-trip');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    const exported = join(dir, 'nested', 'bank.openslo.yaml');
    expect((await runVigil(['export', 'openslo', '--config', BANK, '--out', exported])).code).toBe(0);
    const out = join(dir, 'vigil.yaml');
    // A directory is searched recursively.
    const imported = await runVigil(['import', 'openslo', join(dir, 'nested'), '--out', out]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toBe('');
    expect(imported.stderr).toBe(`imported 6 journeys and 13 SLOs from 1 file; 0 parts not imported\nwritten to ${out}\n`);
    const validated = await runVigil(['validate', out]);
    expect(validated.code).toBe(0);
    expect(validated.stdout).toContain('6 journeys, 13 SLOs');
    expect(readFileSync(out, 'utf8')).toContain('sli: { kind: latency, thresholdMs: 10000 }');
  });

  it("refuses oslo's invalid inputs: every problem at file:line:col, nothing written", { timeout: 120_000 }, async () => {
    const out = join(temp.dir, 'never.yaml');
    const { code, stdout, stderr } = await runVigil(['import', 'openslo', join(CORPUS, 'oslo-validate/inputs'), '--out', out]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    const inputs = join(CORPUS, 'oslo-validate/inputs');
    expect(stderr).toContain(
      `${inputs}/v1.yaml:40:13: SLO 'web-availability': spec.objectives[0].op: not allowed: the indicator is a ratioMetric`,
    );
    expect(stderr).toContain(`${inputs}/v1alpha.yaml:22:5: SLO 'ratio': spec.objectives[0].value: missing; expected a number`);
    expect(stderr).toContain(`${inputs}/unknown-field.yaml:6:3: Service 'my-rad service': spec.markdown: unknown key 'markdown'`);
    expect(stderr).toContain(`${inputs}/invalid-apiversion.yaml:1:13: Service 'my-rad-service': apiVersion: unsupported apiVersion 'foo'`);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('error [openslo_invalid] 17 problems in 11 files; nothing was imported');
  });

  it("imports nothing from another system's valid documents, and names each with why", { timeout: 120_000 }, async () => {
    const slis = join(CORPUS, 'go-sdk-v1-examples/slis.yaml');
    const multi = join(CORPUS, 'oslo-legacy-corpus/v1/multi.yaml');
    const { code, stdout, stderr } = await runVigil(['import', 'openslo', slis, multi]);
    expect(code).toBe(0);
    expect(stdout).toContain('version: vigil/v1\njourneys: []\n');
    const lines = stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('imported 0 journeys and 0 SLOs from 2 files; 7 parts not imported (listed above)');
    expect(lines).toContain(
      `${slis}:1:3: SLI 'search-availability': not imported: an SLI is imported only as the indicator of an SLO that is imported`,
    );
    expect(lines).toContain(
      `${multi}:10:17: SLO 'foo-slo': spec.indicatorRef: not imported: its indicator, SLI 'foo-sli', does not map: ` +
        'a thresholdMetric compares each value with a threshold; a Vigil SLI is a ratio of good to valid events',
    );
  });

  it('an SLO over a Prometheus query is named where its query is', { timeout: 120_000 }, async () => {
    const file = join(temp.dir, 'promql.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: openslo/v1',
        'kind: SLO',
        'metadata: { name: web }',
        'spec:',
        '  service: web',
        '  indicator:',
        '    metadata: { name: web-ratio }',
        '    spec:',
        '      ratioMetric:',
        '        counter: true',
        '        good: { metricSource: { type: Prometheus, spec: { query: \'sum(http_requests_total{code!~"5.."})\' } } }',
        '        total: { metricSource: { type: Prometheus, spec: { query: sum(http_requests_total) } } }',
        '  timeWindow: [ { duration: 28d, isRolling: true } ]',
        '  budgetingMethod: Occurrences',
        '  objectives: [ { target: 0.999 } ]',
        '',
      ].join('\n'),
    );
    const { code, stderr } = await runVigil(['import', 'openslo', file]);
    expect(code).toBe(0);
    // Line 11, column 66: the quoted query of `good`.
    expect(stderr).toContain(
      `${file}:11:66: SLO 'web': spec.indicator.spec.ratioMetric.good.metricSource.spec.query: not imported: its good reads Prometheus`,
    );
    expect(stderr).toContain('SLIs read from Prometheus are not in this release');
  });

  it('a missing path is a coded error', { timeout: 120_000 }, async () => {
    const { code, stderr } = await runVigil(['import', 'openslo', join(temp.dir, 'missing.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain('error [config_not_found] No OpenSLO file or directory at');
  });
});
