// Where the peers' servers are: local Redis for BullMQ, local PostgreSQL for pg-boss (env overrides: BENCH_REDIS_HOST/PORT, BENCH_PG_URL).
export const redis = {
  host: process.env.BENCH_REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.BENCH_REDIS_PORT ?? 6379),
};

/** BullMQ connection options (workers need maxRetriesPerRequest: null). */
export function redisConnection() {
  return { host: redis.host, port: redis.port, maxRetriesPerRequest: null };
}

export const postgresUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** pg-boss's own schema for the benchmark, dropped before and after. */
export const pgBossSchema = 'pgboss_bench';

export function postgresAddress(): { host: string; port: number } {
  const url = new URL(postgresUrl);
  return { host: url.hostname || '127.0.0.1', port: Number(url.port || 5432) };
}
