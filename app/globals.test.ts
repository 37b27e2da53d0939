import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(path.join(import.meta.dirname, 'globals.css'), 'utf8');

/** The body of the first block that `opening` (e.g. "@media (forced-colors: active)") starts. */
function block(opening: string): string {
  const start = css.indexOf(`${opening} {`);
  expect(start, opening).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = css.indexOf('{', start); i < css.length; i++) {
    if (css[i] === '{') depth++;
    else if (css[i] === '}' && --depth === 0) return css.slice(css.indexOf('{', start) + 1, i);
  }
  throw new Error(`${opening}: unclosed`);
}

/** The declarations of the rule whose selector list holds `selector`, within `text`. */
function rule(text: string, selector: string): string {
  const at = text.indexOf(selector);
  expect(at, selector).toBeGreaterThanOrEqual(0);
  return text.slice(text.indexOf('{', at) + 1, text.indexOf('}', at));
}

describe('forced colours (Windows contrast themes)', () => {
  const forced = block('@media (forced-colors: active)');

  it('marks the chosen option of a segmented control and a pressed toggle with the selection colours', () => {
    const chosen = rule(forced, ".segmented-option > input:checked + span,\n  [aria-pressed='true']");
    expect(chosen).toMatch(/forced-color-adjust:\s*none/);
    expect(chosen).toMatch(/background-color:\s*Highlight/);
    expect(chosen).toMatch(/color:\s*HighlightText/);
  });

  it('is not inside a layer, so that no hover colour of a layer overrides it', () => {
    const before = css.slice(0, css.indexOf('@media (forced-colors: active)'));
    const opened = (before.match(/@layer [\w-]+ \{/g) ?? []).length;
    // Every layer opened before it is closed: the media query sits at the top level.
    let depth = 0;
    for (const c of before) depth += c === '{' ? 1 : c === '}' ? -1 : 0;
    expect(opened).toBeGreaterThan(0);
    expect(depth).toBe(0);
  });
});

describe('the reading tooltip', () => {
  const tooltip = rule(block('@layer components'), '.tooltip {');

  it('can be hovered (WCAG 1.4.13) and is never wider than the viewport', () => {
    expect(tooltip).not.toContain('pointer-events-none');
    expect(tooltip).not.toContain('whitespace-nowrap');
    expect(tooltip).toMatch(/max-w-\[calc\(100vw-1rem\)\]/);
  });
});
