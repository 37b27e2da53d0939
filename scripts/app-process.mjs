// The environment the app's server process (scripts/server.mjs) starts with, beside its own settings. Read by
// `npm start` (scripts/start.mjs) and the benchmarks that start the app as it does; a deployment sets the same
// (README, "Deployment guide"). Both are read only when the process starts, so neither can be set from inside the
// server.
//
// MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (libuv's pool compressing responses and reading files,
// the audit store's checking threads) an arena of its own, which keeps what it once held. Two arenas for the whole
// process: about 20 MiB less at the peak of a large record's reading (`npm run bench:chart`), for no measurable
// change in its time.
//
// --max-semi-space-size in NODE_OPTIONS: the young generation's cap (scripts/v8-memory.mjs says why that size). The
// server's switch of V8's growth factor keeps it there on Node.js 22, but from Node.js 24 on V8 grows it past the
// cap before the switch comes; the limit given at start holds on every version. An operator's own limit is kept.
import { SEMI_SPACE_MIB } from './v8-memory.mjs';

export const appProcessEnv = (env = process.env) => {
  const nodeOptions = env.NODE_OPTIONS?.trim() ?? '';
  return {
    MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? '2',
    NODE_OPTIONS: /--max-semi-space-size\b/.test(nodeOptions)
      ? nodeOptions
      : `${nodeOptions} --max-semi-space-size=${SEMI_SPACE_MIB}`.trim(),
  };
};
