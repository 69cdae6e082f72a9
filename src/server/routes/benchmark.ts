/** The competitor benchmark (docs/benchmark.md, docs/api.md ("Benchmark")), scope read. */
import type { FastifyPluginAsync } from 'fastify';
import { BenchmarkResponse } from '../../api/benchmark.js';
import { toInstant } from '../../api/common.js';
import type { VigilApi } from '../../app/api.js';
import { VigilError } from '../../errors/catalogue.js';
import { requireScope } from '../access.js';
import { parseInstant } from '../query.js';

const DAY_MS = 86_400_000;
/** The longest range asked at once: the default probe retention. */
export const MAX_BENCHMARK_DAYS = 400;

export const benchmarkRoutes: FastifyPluginAsync<{ api: VigilApi }> = async (app, { api }) => {
  requireScope(app, api.access, 'read');

  // The default range is the 7 days before now.
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/api/v1/benchmark',
    { config: { wire: BenchmarkResponse } },
    async (request) => {
      const to = parseInstant(request.query['to'], 'to', api.clock());
      const from = parseInstant(request.query['from'], 'from', to - 7 * DAY_MS);
      if (from >= to) throw new VigilError('invalid_query', `from (${toInstant(from)}) must be before to (${toInstant(to)})`);
      if (to - from > MAX_BENCHMARK_DAYS * DAY_MS)
        throw new VigilError('invalid_query', `the range is longer than ${MAX_BENCHMARK_DAYS} days; ask for a shorter one`);
      return api.benchmark(from, to);
    },
  );
};
