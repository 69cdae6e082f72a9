import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SERVER, serverUrl } from './shared.js';

describe('the server a command reads (docs/cli.md ("Command line"))', () => {
  const saved = { server: process.env.VIGIL_SERVER, url: process.env.VIGIL_URL };
  afterEach(() => {
    for (const [name, value] of [
      ['VIGIL_SERVER', saved.server],
      ['VIGIL_URL', saved.url],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it.each([
    ['the flag wins over both variables', 'http://flag:1', 'http://server:2', 'http://url:3', 'http://flag:1'],
    ['VIGIL_SERVER wins over VIGIL_URL', undefined, 'http://server:2', 'http://url:3', 'http://server:2'],
    ['VIGIL_URL, the older name, still works', undefined, undefined, 'http://url:3', 'http://url:3'],
    ['nothing set: the local default', undefined, undefined, undefined, DEFAULT_SERVER],
  ])('%s', (_case, flag, server, url, expected) => {
    if (server === undefined) delete process.env.VIGIL_SERVER;
    else process.env.VIGIL_SERVER = server;
    if (url === undefined) delete process.env.VIGIL_URL;
    else process.env.VIGIL_URL = url;
    expect(serverUrl(flag)).toBe(expected);
  });
});
