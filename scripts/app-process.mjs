// The environment the app's server process (scripts/server.mjs) starts with, beside its own settings. Read by
// `npm start` (scripts/start.mjs) and the benchmarks that start the app as it does; a deployment sets the same
// (README, "Deployment guide").
//
// MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (libuv's pool compressing responses and reading files,
// the audit store's checking threads) an arena of its own, which keeps what it once held. Two arenas for the whole
// process: about 20 MiB less at the peak of a large record's reading (`npm run bench:chart`), for no measurable
// change in its time. glibc reads it only when the process starts, so it cannot be set from inside the server.
export const appProcessEnv = (env = process.env) => ({
  MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? '2',
});
