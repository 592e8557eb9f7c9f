// How the production hub process is started: the compiled server under plain node, with the
// flags and environment below. Used by `npm start` (scripts/start.mjs) and the benchmarks
// (scripts/bench/bench-hub.ts); the Dockerfile spells the same out in ENV and CMD (a unit test
// keeps them equal). Measured with `npm run bench:rss`; each line says what it saves.

/** The compiled hub, relative to the project root (scripts/build-server.mjs). */
export const HUB_ENTRY = 'dist/server.js';

export const HUB_NODE_FLAGS = [
  // Prisma's query compiler is a 3 MB WebAssembly module. V8 runs it with its baseline compiler
  // (Liftoff) and re-compiles hot functions with TurboFan on background threads; that
  // compilation mallocs ~70 MB of scratch memory which glibc keeps (per-thread arenas), so the
  // hub idled 60-90 MB higher. Prisma caches each query's plan, so the compiler's speed hardly
  // matters: queries measured as fast without the tier-up. These two flags keep it on Liftoff.
  '--no-wasm-tier-up',
  '--no-wasm-dynamic-tiering',
  // The young generation: V8 grows it to 2 × 16 MB under allocation and keeps it. 8 MB
  // semi-spaces: 4 MB cost ~15% of the saturated bench:peers throughput in scavenges (and
  // pickup p99), 16 MB added ~20 MB of RSS for no more speed than 8.
  '--max-semi-space-size=8',
  // The old generation's ceiling, under the container's 256 MB (the rest of the process, the
  // node binary, native heap and WebAssembly, is about 80 MB): V8 collects harder near it
  // instead of the kernel killing the process.
  '--max-old-space-size=160',
];

export const HUB_ENV = {
  // glibc gives each thread that mallocs its own 64 MB arena (libuv's pool, V8's compiler and
  // GC helpers); two arenas keep freed memory from being spread over and kept in many.
  MALLOC_ARENA_MAX: '2',
};
