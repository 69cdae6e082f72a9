// `server` in vigil.yaml (docs/configuration.md ("server")): the names and origins resolve, mistakes are file:line:col.
import { describe, expect, it } from 'vitest';
import { formatProblem, loadConfigFromString } from './load.js';
import { yaml } from './test-yaml.js';

describe('server section', () => {
  it('resolves hosts as written and origins in their canonical form; absent, the config has no server key', () => {
    const loaded = loadConfigFromString(
      yaml`
        version: vigil/v1
        server:
          allowedHosts: [vigil.bank.example, "[::1]", 10.0.0.7, "fd00::1"]
          allowedOrigins: [HTTPS://Portal.Bank.Example, "http://127.0.0.1:3000/"]
      `,
      'vigil.yaml',
    );
    if (!loaded.ok) throw new Error(loaded.errors.map(formatProblem).join('\n'));
    expect(loaded.config.server).toEqual({
      allowedHosts: ['vigil.bank.example', '[::1]', '10.0.0.7', 'fd00::1'],
      allowedOrigins: ['https://portal.bank.example', 'http://127.0.0.1:3000'],
    });
    const plain = loadConfigFromString('version: vigil/v1\n', 'vigil.yaml');
    expect(plain.ok && 'server' in plain.config).toBe(false);
  });

  it('names each bad entry at its line and column', () => {
    const loaded = loadConfigFromString(
      yaml`
        version: vigil/v1
        server:
          allowedHosts:
            - vigil.bank.example
            - https://vigil.bank.example
            - "vigil.bank.example:8080"
            - "cafe:8080"
          allowedOrigins: [https://portal.bank.example/path, "*"]
          allowHosts: []
      `,
      'vigil.yaml',
    );
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map(formatProblem)).toEqual([
      expect.stringMatching(/^vigil\.yaml:5:7: server\.allowedHosts\[1\]: expected a host name or IP address/),
      expect.stringMatching(/^vigil\.yaml:6:7: server\.allowedHosts\[2\]: expected a host name or IP address/),
      expect.stringMatching(/^vigil\.yaml:7:7: server\.allowedHosts\[3\]: expected a host name or IP address/),
      expect.stringMatching(/^vigil\.yaml:8:20: server\.allowedOrigins\[0\]: expected an origin/),
      expect.stringMatching(/^vigil\.yaml:8:54: server\.allowedOrigins\[1\]: expected an origin/),
      expect.stringMatching(/^vigil\.yaml:9:3: server\.allowHosts: unknown key/),
    ]);
  });
});
