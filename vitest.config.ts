import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Every answer a server sends in a test is checked against its wire schema (src/server/wire.ts);
    // spawned `vigil serve` processes inherit it.
    env: { VIGIL_VALIDATE_RESPONSES: '1' },
  },
});
