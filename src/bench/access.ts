/**
 * The cost of the access check (docs/access.md ("How a request is checked")): requests to one read
 * endpoint through the real server on a server without tokens (open) and with a token, as a ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vigilApi } from '../app/api.js';
import { VigilRuntime } from '../app/runtime.js';
import { createToken } from '../app/tokens.js';
import { loadConfigFromString } from '../config/load.js';
import { buildServer } from '../server/app.js';
import { openStore } from '../store/open.js';

const CONFIG = `version: vigil/v1
journeys:
  - name: login
    tier: core
    steps:
      - { name: authenticate, services: [auth-gateway] }
    slos:
      - { name: success, objective: 99.5, window: 28d, sli: { kind: success } }
`;

export interface AccessBench {
  openPerSecond: number;
  tokenPerSecond: number;
  /** tokenPerSecond / openPerSecond: 1 means the check costs nothing. */
  ratio: number;
}

/**
 * GET /api/v1/info `requests` times without tokens, then with a read token (in-memory injection, no sockets).
 * @example const { ratio } = await benchAccess(5000);
 */
export async function benchAccess(requests = 5_000): Promise<AccessBench> {
  const loaded = loadConfigFromString(CONFIG, 'vigil.yaml');
  if (!loaded.ok) throw new Error('bench configuration does not load');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-access-'));
  const store = await openStore(join(dir, 'vigil.db'));
  const runtime = await VigilRuntime.start({ config: loaded.config, store });
  const app = await buildServer({ api: vigilApi(runtime), validateResponses: false });
  try {
    const run = async (headers: Record<string, string>): Promise<number> => {
      for (let i = 0; i < 200; i++) await app.inject({ method: 'GET', url: '/api/v1/info', headers }); // warm-up
      const start = process.hrtime.bigint();
      for (let i = 0; i < requests; i++) {
        const res = await app.inject({ method: 'GET', url: '/api/v1/info', headers });
        if (res.statusCode !== 200) throw new Error(`bench request answered ${res.statusCode}`);
      }
      return requests / (Number(process.hrtime.bigint() - start) / 1e9);
    };
    const openPerSecond = await run({});
    const { token } = await createToken(store.tokens, 'bench', ['read'], Date.now());
    const tokenPerSecond = await run({ authorization: `Bearer ${token}` });
    return { openPerSecond, tokenPerSecond, ratio: tokenPerSecond / openPerSecond };
  } finally {
    await app.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
