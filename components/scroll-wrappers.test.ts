import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A table that scrolls sideways on a narrow screen holds absolutely positioned text (a flag's or a caption's
 * `sr-only` words). Unless its scroller is positioned, that text is placed against an ancestor instead, escapes the
 * scroller's clipping, and the whole page scrolls sideways at 320 px. Every sideways scroller is `relative`.
 */
const ROOT = path.resolve(import.meta.dirname);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.tsx') && !e.name.endsWith('.test.tsx') ? [p] : [];
  });
}

/** Every `className="…"` of the components that scrolls sideways, with its file. */
const scrollers = sources(ROOT).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/className="([^"]*)"/g)]
    .map((m) => m[1]!)
    .filter((classes) => /\boverflow-(x-)?(auto|scroll)\b/.test(classes))
    .map((classes) => [path.relative(ROOT, file), classes] as const),
);

describe('sideways scrollers', () => {
  it('finds the table scrollers it checks', () => {
    expect(scrollers.length).toBeGreaterThanOrEqual(5);
  });

  it.each(scrollers)('%s: "%s" is a positioning context', (_file, classes) => {
    expect(classes.split(/\s+/)).toContain('relative');
  });
});
