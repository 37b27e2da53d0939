/**
 * One instance per process of things that must be shared by every route:
 * the audit store's connection (an embedded PGlite directory may be opened
 * only once), the account store, replay and refresh bookkeeping, limits.
 * Next.js may load a module once per route bundle, so a module-level `let`
 * is not enough; the instance lives on globalThis under a registered symbol.
 * Never holds request data.
 */
export function processSingleton<T>(key: string, create: () => T): T {
  const g = globalThis as Record<symbol, unknown>;
  const sym = Symbol.for(`smart-chart.${key}`);
  if (!(sym in g)) g[sym] = create();
  return g[sym] as T;
}
