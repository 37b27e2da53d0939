import { describe, expect, it } from 'vitest';
import { PLAIN_CONDITIONS, PLAIN_TEST_KEYS } from '@/lib/chart/plain-language';
import { LOCALES } from './locale';
import { MESSAGES } from './messages';

/** Every leaf of a messages tree as [dotted key, text]. */
function leaves(tree: unknown, prefix = ''): [string, unknown][] {
  if (typeof tree !== 'object' || tree === null) return [[prefix, tree]];
  return Object.entries(tree).flatMap(([k, v]) => leaves(v, prefix === '' ? k : `${prefix}.${k}`));
}

/** The values a message takes ("{date}", "{count, plural, …}"); `exact` only picks Spanish articles. */
function args(text: string): string[] {
  const names = [...text.matchAll(/\{\s*([A-Za-z]\w*)\s*(?:[,}])/g)].map((m) => m[1]!);
  return [...new Set(names)].filter((n) => n !== 'exact').sort();
}

const en = new Map(leaves(MESSAGES.en));

describe.each(LOCALES.map((l) => [l]))('messages/%s.json', (locale) => {
  const entries = leaves(MESSAGES[locale]);

  it('has exactly the keys of the English file', () => {
    expect(entries.map(([k]) => k).sort()).toEqual([...en.keys()].sort());
  });

  it('has no empty or non-text message', () => {
    for (const [key, text] of entries) {
      expect(typeof text, key).toBe('string');
      expect((text as string).trim(), key).not.toBe('');
    }
  });

  it('names its own language for the session controls (outside the page’s main, they carry it themselves)', () => {
    expect(MESSAGES[locale].session.lang).toBe(locale);
  });

  it('takes the same values as the English message', () => {
    for (const [key, text] of entries) expect(args(text as string), key).toEqual(args(en.get(key) as string));
  });

  it('names and explains every curated test, and names every curated condition', () => {
    const tests = MESSAGES[locale].tests as Record<string, unknown>;
    for (const key of PLAIN_TEST_KEYS)
      expect(tests[key], key).toEqual({ name: expect.any(String), explains: expect.any(String) });
    const conditions = MESSAGES[locale].conditions as Record<string, unknown>;
    for (const key of Object.values(PLAIN_CONDITIONS))
      expect(conditions[key], key).toEqual(expect.any(String));
  });
});

describe('explanations of tests', () => {
  const NO_ADVICE = {
    en: /\b(you have|should|must|diagnos|risk of|take (?:your|a|an|this))\b/,
    es: /\b(usted tiene|debe|diagn[oó]s|riesgo de|tome)\b/,
  } as const;

  it.each(LOCALES.map((l) => [l]))(
    'are one sentence each in %s, with no diagnosis or advice words',
    (locale) => {
      for (const key of PLAIN_TEST_KEYS) {
        const { explains } = MESSAGES[locale].tests[key];
        expect(explains, key).toMatch(/^[A-ZÁÉÍÓÚÑ¿][^.!?]*\.$/);
        expect(explains.toLowerCase(), key).not.toMatch(NO_ADVICE[locale]);
      }
    },
  );
});
