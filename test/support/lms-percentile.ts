/**
 * Percentile of a measurement from L, M and S, computed for tests independently of the app's
 * own code: z by the LMS formula (Cole & Green 1992), Φ(z) by the Taylor series of erf (no
 * polynomial approximation, unlike lib/chart/growth/lms.ts).
 */
export function lmsPercentile(l: number, m: number, s: number, x: number): number {
  const z = l === 0 ? Math.log(x / m) / s : ((x / m) ** l - 1) / (l * s);
  let sum = 0;
  let term = z / Math.SQRT2;
  for (let n = 0; n < 80; n++) {
    sum += term / (2 * n + 1);
    term *= -(z * z) / 2 / (n + 1);
  }
  return 50 * (1 + (2 / Math.sqrt(Math.PI)) * sum);
}
