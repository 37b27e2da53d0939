import { describe, expect, it } from 'vitest';
import { downsample } from './downsample';

interface P {
  readonly t: number;
  readonly v: readonly (number | undefined)[];
  readonly flag?: boolean;
}

/** A deterministic noisy series (no Math.random: a failure must reproduce). */
function series(n: number, pairs = false): P[] {
  return Array.from({ length: n }, (_, i) => {
    const v = 100 + 20 * Math.sin(i / 50) + ((i * 7919) % 13) - 6;
    return { t: 1_600_000_000_000 + i * 3_600_000, v: pairs ? [v, v - 40 + ((i * 31) % 7)] : [v] };
  });
}

const run = (points: readonly P[], target: number) =>
  downsample({ points, target, x: (p) => p.t, values: (p) => p.v, keep: (p) => p.flag === true });

describe('downsample', () => {
  it('returns a short series whole', () => {
    const s = series(40);
    expect(run(s, 100)).toEqual(s);
  });

  it('bounds the output and keeps the input order', () => {
    const s = series(20_000);
    const out = run(s, 150);
    expect(out.length).toBeLessThanOrEqual(150);
    expect(out.length).toBeGreaterThan(100);
    for (let i = 1; i < out.length; i++) expect(out[i]!.t).toBeGreaterThan(out[i - 1]!.t);
    expect(out.every((p) => s.includes(p))).toBe(true);
  });

  it('keeps the first and last readings and the lowest and highest of every value', () => {
    const s = series(5_000, true).map((p, i) =>
      i === 1234 ? { ...p, v: [400, p.v[1]] } : i === 3210 ? { ...p, v: [p.v[0], -5] } : p,
    );
    const out = run(s, 60);
    expect(out[0]).toBe(s[0]);
    expect(out.at(-1)).toBe(s.at(-1));
    expect(out).toContain(s[1234]);
    expect(out).toContain(s[3210]);
    for (const k of [0, 1]) {
      const vals = s.map((p) => p.v[k]!);
      const outVals = out.map((p) => p.v[k]!);
      expect(Math.min(...outVals)).toBe(Math.min(...vals));
      expect(Math.max(...outVals)).toBe(Math.max(...vals));
    }
  });

  it('keeps every flagged reading, even beyond the target', () => {
    const s = series(3_000).map((p, i) => (i % 25 === 7 ? { ...p, flag: true } : p));
    const flagged = s.filter((p) => p.flag);
    expect(flagged.length).toBe(120);
    const out = run(s, 50);
    for (const f of flagged) expect(out).toContain(f);
    // Flagged, first, last and the two extremes at most: no buckets are added beyond the target.
    expect(out.length).toBeLessThanOrEqual(flagged.length + 4);
  });

  it('draws flagged readings that share a spot once, the latest of them, and every spot', () => {
    // Flagged readings in runs of ten on the same spot (same hour bucket, same value): 300 spots.
    const s = series(3_000).map((p, i) => ({ ...p, flag: true, v: [200 + Math.floor(i / 10)] }));
    const spot = (p: P) => String(Math.floor((p.t - 1_600_000_000_000) / 36_000_000));
    const out = downsample({
      points: s,
      target: 50,
      x: (p) => p.t,
      values: (p) => p.v,
      keep: (p) => !!p.flag,
      spot,
    });
    const spots = new Set(s.map(spot));
    expect(spots.size).toBe(300);
    expect(new Set(out.map(spot))).toEqual(spots);
    // The latest reading of each spot stands for it; besides, the first reading and each value's lowest and highest
    // (the first of equals) are always drawn.
    const others = out.map((p) => s.indexOf(p)).filter((i) => i % 10 !== 9);
    expect(others).toEqual([0, 2990]);
    expect(out.length).toBe(302);
  });

  it('skips readings without a value in the buckets but keeps the order', () => {
    const s = series(1_000, true).map((p, i) => (i % 3 === 0 ? { ...p, v: [p.v[0], undefined] } : p));
    const out = run(s, 80);
    expect(out.length).toBeLessThanOrEqual(80);
    for (let i = 1; i < out.length; i++) expect(out[i]!.t).toBeGreaterThan(out[i - 1]!.t);
  });

  it('keeps a spike LTTB exists to keep', () => {
    const flat = Array.from({ length: 2_000 }, (_, i) => ({ t: i, v: [i === 900 || i === 901 ? 10 : 0] }));
    // The lowest value is shared by almost all readings; the spike must survive as a maximum and by area.
    const out = downsample({ points: flat, target: 30, x: (p) => p.t, values: (p) => p.v });
    expect(out.map((p) => p.t)).toContain(900);
  });
});
