// How the app's server process holds its memory down (README, Measured: app server peak RSS). V8 reads these flags as
// it goes: set before Next.js is loaded, the first store opens and the first chart is read.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

// The embedded audit store (PGlite; the launch store too on a runtime without node:sqlite) runs PostgreSQL as
// WebAssembly. V8 would recompile its hot functions with its optimising compiler in background threads, whose code
// and per-thread allocator arenas stay resident: about 35 MiB a store on Node.js 22, and on Node.js 24 and 26 several
// hundred MiB that come and go as the store works (3,000 inserts into PGlite: 365 MiB instead of 145 MiB on 24.21).
// The baseline compiler serves them. `--liftoff-only` alone is not enough once the process runs: V8 derives the flags
// it implies (no tier-up, no dynamic tiering) only when it starts, and from Node.js 24 on, tier-up goes on without
// them. So all three are set.
const WASM_BASELINE_ONLY = ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering'];

// A chart of a large record parses megabytes of short-lived JSON per FHIR page. V8's default lets the heap grow to up
// to four times what survived the last full collection before collecting again; growing by 30% (1.3×) keeps repeated
// readings of the 30,000-Observation record over 100 MiB lower (1.5× measured about 10 MiB higher).
const HEAP_GROWTH = '--heap-growing-percent=30';

// Much of that JSON is still in use when the young generation is collected (the page being parsed, the results
// kept), so V8 doubles the young generation, up to two semi-spaces of 16 MiB, which stay resident. Held at two of
// 4 MiB, the same readings peak about 40 MiB lower. The cost of both, measured on that record's "all" reading: a
// quarter to a half more CPU time (more, shorter collections), none visible on a typical record. V8 takes no size
// limit after start, so its doubling is off while Next.js loads (many collections in one go), then switched off
// whenever the young generation has reached the cap and on again when V8 has shrunk it. The switch comes after V8
// reports a collection, so it can be late: on Node.js 22 the young generation stays at the cap, but on 24 and 26,
// whose V8 grows it in smaller steps, it was seen at twice the cap and more. So the server is also started with the
// cap as V8's own limit (`--max-semi-space-size`, scripts/app-process.mjs), which V8 takes only at start; the switch
// still keeps the young generation small while Next.js loads, and holds it where the limit was not given.
export const SEMI_SPACE_MIB = 4;
const YOUNG_GENERATION_BYTES = 2 * SEMI_SPACE_MIB * 1024 * 1024;

/** Sets the flags above; call before anything large is loaded. */
export function holdMemory() {
  for (const flag of [...WASM_BASELINE_ONLY, HEAP_GROWTH, '--semi-space-growth-factor=1'])
    setFlagsFromString(flag);
}

function holdYoungGeneration() {
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
  setFlagsFromString(`--semi-space-growth-factor=${young < YOUNG_GENERATION_BYTES ? 2 : 1}`);
}

/** Lets the young generation grow up to its cap from now on (after the app has loaded). */
export function capYoungGeneration() {
  holdYoungGeneration();
  new PerformanceObserver(holdYoungGeneration).observe({ entryTypes: ['gc'] });
}
