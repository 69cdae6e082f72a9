/** `policy` and `deployments` in vigil.yaml (docs/release.md ("Budget policy")): the documented example, defaults and problems with file:line:col. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../model/release.js';
import { loadConfigFromString } from './load.js';

const root = join(import.meta.dirname, '..', '..');
const section = (doc: string, heading: string): string => doc.slice(doc.indexOf(heading));
const firstYaml = (text: string): string => /```yaml\n([\s\S]*?)```/.exec(text)![1]!;

describe('policy in vigil.yaml', () => {
  it('loads the examples of docs/configuration.md and docs/release.md as the defaults', async () => {
    const configuration = firstYaml(section(readFileSync(join(root, 'docs', 'configuration.md'), 'utf8'), '## `policy` and `deployments`'));
    const release = firstYaml(section(readFileSync(join(root, 'docs', 'release.md'), 'utf8'), '## Budget policy'));
    for (const block of [configuration, release]) {
      const result = await loadConfigFromString(`version: vigil/v1\n${block}`, 'vigil.yaml');
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.config.policy).toEqual(DEFAULT_POLICY);
    }
    const result = await loadConfigFromString(`version: vigil/v1\n${configuration}`, 'vigil.yaml');
    if (result.ok) expect(result.config.deployments).toEqual({ attributionMinutes: 1440 });
  });

  it('keeps a configuration without them as before, and takes a custom policy', async () => {
    const none = await loadConfigFromString('version: vigil/v1\n', 'vigil.yaml');
    expect(none.ok && 'policy' in none.config).toBe(false);
    const custom = await loadConfigFromString(
      'version: vigil/v1\npolicy:\n  states: [{ name: green, minRemaining: 0.5 }, { name: red }]\n  gate: { deny: [red] }\n',
      'vigil.yaml',
    );
    expect(custom.ok && custom.config.policy).toEqual({
      states: [{ name: 'green', minRemaining: 0.5 }, { name: 'red' }],
      gate: { deny: ['red'], warn: [] },
    });
  });

  it('names each problem at its file, line and column', async () => {
    const result = await loadConfigFromString(
      'version: vigil/v1\npolicy:\n  states:\n    - { name: ok, minRemaining: high }\n  gate:\n    deny: [frozen]\ndeployments:\n  attributionWindow: soon\n',
      'vigil.yaml',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problems = result.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^vigil\.yaml:4:\d+ .*a number such as 0\.25/),
        expect.stringMatching(/^vigil\.yaml:8:\d+ .*duration/),
      ]),
    );
  });

  it('refuses a gate entry that is neither a state nor page or ticket', async () => {
    const result = await loadConfigFromString('version: vigil/v1\npolicy:\n  gate:\n    warn: [caution, amber]\n', 'vigil.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      "4:21 policy.gate.warn[1]: 'amber' is neither a policy state (healthy, caution, frozen) nor page or ticket",
    ]);
  });
});
