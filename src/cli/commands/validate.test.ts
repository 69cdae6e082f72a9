import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runValidate, validateCommand } from './validate.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const GOOD = `version: vigil/v1
services:
  - { name: ledger }
journeys:
  - name: pay
    steps:
      - { name: login, services: [auth] }
      - { name: confirm, services: [payments-api, ledger] }
    slos:
      - { name: ok, sli: { kind: success } }
      - { name: fast, sli: { kind: latency, thresholdMs: 10000 } }
  - name: login
    steps: [{ name: password, services: [auth] }]
`;

const BAD = `version: vigil/v1
journeys:
  - name: pay
    steps: [{ name: go }]
    slos:
      - name: ok
        objective: 100
        sli: { kind: success, step: gone }
`;

describe('runValidate', () => {
  it('summarises a valid file in one line', async () => {
    const path = write('good.yaml', GOOD);
    expect(await runValidate(path)).toEqual({ exitCode: 0, stdout: `✓ ${path}: 2 journeys, 2 SLOs, 3 services\n`, stderr: '' });
  });

  it('prints every problem as file:line:col: message and exits 1', async () => {
    const path = write('bad.yaml', BAD);
    const outcome = await runValidate(path);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout.split('\n')).toEqual([
      `${path}:7:20: journeys[0].slos[0].objective: expected a number greater than 0 and less than 100, got 100`,
      `${path}:8:37: journeys[0].slos[0].sli.step: unknown step 'gone'; expected one of the journey's steps: go`,
      `✗ ${path}: 2 problems`,
      '',
    ]);
  });

  it('colours file and position only when asked', async () => {
    const path = write('bad-colour.yaml', BAD);
    const plain = await runValidate(path, { color: false });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
    expect(plain.stdout).not.toMatch(/\u001b\[/);
    const coloured = await runValidate(path, { color: true });
    expect(coloured.stdout).toContain(`\u001b[36m${path}\u001b[39m`);
    expect(coloured.stdout).toContain('\u001b[33m7:20\u001b[39m');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes
    expect(coloured.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain.stdout);
  });

  it('prints problems as JSON', async () => {
    const path = write('bad-json.yaml', BAD);
    const outcome = await runValidate(path, { json: true });
    expect(outcome.exitCode).toBe(1);
    const body = JSON.parse(outcome.stdout);
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('config_invalid');
    expect(body.problems).toEqual([
      {
        file: path,
        line: 7,
        column: 20,
        message: 'journeys[0].slos[0].objective: expected a number greater than 0 and less than 100, got 100',
      },
      {
        file: path,
        line: 8,
        column: 37,
        message: "journeys[0].slos[0].sli.step: unknown step 'gone'; expected one of the journey's steps: go",
      },
    ]);
    const good = await runValidate(write('good-json.yaml', GOOD), { json: true });
    expect(JSON.parse(good.stdout)).toEqual({ ok: true, files: [join(dir, 'good-json.yaml')], journeys: 2, slos: 2, services: 3 });
  });

  it('reports a missing file with config_not_found and exit code 2', async () => {
    const path = join(dir, 'missing.yaml');
    const outcome = await runValidate(path);
    expect(outcome).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `error [config_not_found] No configuration at ${path}: no such file or directory\n`,
    });
    const json = await runValidate(path, { json: true });
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stdout).error.code).toBe('config_not_found');
  });

  it('names the file count when validating a directory', async () => {
    const sub = mkdtempSync(join(dir, 'conf-'));
    writeFileSync(join(sub, 'a.yaml'), 'version: vigil/v1\nservices: [{ name: ledger }]\n');
    writeFileSync(join(sub, 'b.yaml'), GOOD.replace('services:\n  - { name: ledger }\n', ''));
    expect((await runValidate(sub)).stdout).toBe(`✓ ${sub} (2 files): 2 journeys, 2 SLOs, 3 services\n`);
  });
});

describe('validateCommand', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('parses its argument and --json, writes the outcome and sets the exit code', async () => {
    const path = write('cmd-bad.yaml', BAD);
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    await validateCommand().parseAsync([path, '--json'], { from: 'user' });
    expect(process.exitCode).toBe(1);
    expect(JSON.parse(written.join('')).problems).toHaveLength(2);
  });

  it('defaults the path to vigil.yaml', () => {
    const command = validateCommand();
    expect(command.name()).toBe('validate');
    expect(command.registeredArguments[0]?.defaultValue).toBe('vigil.yaml');
  });
});
