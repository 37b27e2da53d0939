import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A form its script submits (`onSubmit`) is still an HTML form before the page's scripts have run, or where they
 * failed: sent then, a form without a method is a GET, and its fields (a password, a patient's name and birth
 * date) land in the URL, the browser's history and every proxy's access log. Each says `method="post"`; the forms
 * that are searches by design say `method="get"`.
 */
const ROOTS = ['components', 'app'].map((d) => path.resolve(import.meta.dirname, '..', d));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.tsx') && !e.name.endsWith('.test.tsx') ? [p] : [];
  });
}

/** Each `<form …>` opening tag of a file (JSX attributes may span lines and hold arrow functions). */
function formTags(text: string): string[] {
  const tags: string[] = [];
  for (let i = text.indexOf('<form'); i !== -1; i = text.indexOf('<form', i + 1)) {
    if (/[\w-]/.test(text[i + 5] ?? '')) continue;
    let depth = 0;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '>' && depth === 0 && text[j - 1] !== '=') break;
    }
    tags.push(text.slice(i, j + 1));
  }
  return tags;
}

describe('forms', () => {
  const files = ROOTS.flatMap(sources);

  it('finds the forms it checks', () => {
    expect(files.flatMap((f) => formTags(readFileSync(f, 'utf8'))).length).toBeGreaterThanOrEqual(8);
  });

  it.each(files.filter((f) => readFileSync(f, 'utf8').includes('<form')))(
    '%s: every form names its method',
    (f) => {
      for (const tag of formTags(readFileSync(f, 'utf8'))) expect(tag, f).toMatch(/\bmethod="(post|get)"/);
    },
  );
});
