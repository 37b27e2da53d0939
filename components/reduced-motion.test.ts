import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Nothing moves on its own for a reader who asked for reduced motion: every animated class list of the pages and
 * components (a loading placeholder's pulse) stops it with `motion-reduce:animate-none`, as `.skeleton` does.
 */
const ROOTS = ['components', 'app'].map((d) => path.resolve(import.meta.dirname, '..', d));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(tsx|css)$/.test(e.name) && !e.name.endsWith('.test.tsx') ? [p] : [];
  });
}

/** Every class list (`className="…"`, `@apply …;`) that animates, with its file. */
const animated = ROOTS.flatMap(sources).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/className="([^"]*)"|@apply ([^;]*);/g)]
    .map((m) => m[1] ?? m[2] ?? '')
    .filter((classes) => /(^|\s)animate-(?!none)/.test(classes))
    .map((classes) => [path.relative(path.resolve(import.meta.dirname, '..'), file), classes] as const),
);

describe('animations', () => {
  it('finds the animated class lists it checks', () => {
    expect(animated.length).toBeGreaterThanOrEqual(3);
  });

  it.each(animated)('%s: "%s" stops for reduced motion', (_file, classes) => {
    expect(classes.split(/\s+/)).toContain('motion-reduce:animate-none');
  });
});
