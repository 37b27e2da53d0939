/** Order statistics for the benchmark scripts (nearest-rank; inputs need not be sorted). */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}
