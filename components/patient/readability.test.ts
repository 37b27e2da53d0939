import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { PLAIN_TEST_KEYS } from '@/lib/chart/plain-language';
import { LOCALES, type Locale } from '@/lib/i18n/locale';
import { MESSAGES } from '@/lib/i18n/messages';

/**
 * Syllables of one English word, by vowel groups: a silent final "e" does not
 * count, "-le" after a consonant does, "ia" and "ua" (not after g or q) are two, every word has at least one.
 */
export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w === '') return 0;
  if (w.length <= 3) return 1;
  const trimmed = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  const groups = trimmed.match(/[aeiouy]{1,2}/g)?.length ?? 0;
  const split = trimmed.match(/ia|(?<![gq])ua/g)?.length ?? 0;
  return Math.max(1, groups + split);
}

const STRONG = new Set([...'aeoáéóíú']);
const VOWEL = new Set([...'aeiouáéíóúü']);

/**
 * Syllables of one Spanish word, by vowel nuclei: a weak vowel (i, u, ü) without
 * an accent joins its neighbour in a diphthong, two strong vowels (a, e, o, or an
 * accented í, ú) are a hiatus; the u of "que", "qui", "gue", "gui" is silent and a
 * final y after a vowel ("hay", "muy") is part of the diphthong.
 */
export function silabas(word: string): number {
  const w = word
    .toLowerCase()
    .replace(/[^a-záéíóúüñ]/g, '')
    .replace(/([qg])u([eéií])/g, '$1$2')
    .replace(/([aeiouáéíóú])y$/, '$1i');
  if (w === '') return 0;
  if (w === 'y') return 1;
  let count = 0;
  let prev: string | undefined;
  for (const ch of w) {
    if (!VOWEL.has(ch)) {
      prev = undefined;
      continue;
    }
    const hiatus = prev !== undefined && STRONG.has(prev) && STRONG.has(ch);
    if (prev === undefined || hiatus) count += 1;
    prev = ch;
  }
  return Math.max(1, count);
}

const WORD = /[\p{L}][\p{L}'’-]*|\d+/gu;

function counts(text: string, count: (word: string) => number) {
  const sentences = Math.max(1, text.split(/[.!?]+(?:\s|$)/).filter((s) => s.trim() !== '').length);
  const words = text.match(WORD) ?? [];
  const syl = words.reduce((n, w) => n + (/^\d+$/.test(w) ? 1 : count(w)), 0);
  return { sentences, words: words.length, syllables: syl };
}

/** Flesch–Kincaid grade level: 0.39 × words per sentence + 11.8 × syllables per word − 15.59. */
export function fleschKincaidGrade(text: string): number {
  const c = counts(text, syllables);
  if (c.words === 0) return 0;
  return 0.39 * (c.words / c.sentences) + 11.8 * (c.syllables / c.words) - 15.59;
}

/**
 * Fernández-Huerta reading ease of Spanish text (Fernández Huerta 1959, with the
 * sentence term as corrected by Law 2011): 206.84 − 60 × syllables per word −
 * 1.02 × words per sentence. 60 to 70 is "normal", grade 7 or 8 on its scale;
 * higher is easier.
 */
export function fernandezHuerta(text: string): number {
  const c = counts(text, silabas);
  if (c.words === 0) return 100;
  return 206.84 - 60 * (c.syllables / c.words) - 1.02 * (c.words / c.sentences);
}

/** Fernández-Huerta's lowest score for grade 8 ("normal": grades 7 and 8). */
const GRADE_8_EASE = 60;

describe('the syllable counters and grade formulas', () => {
  it('counts syllables of common English words as a dictionary does', () => {
    const known: [string, number][] = [
      ['blood', 1],
      ['sugar', 2],
      ['usual', 3],
      ['kidneys', 2],
      ['measures', 2],
      ['cholesterol', 4],
      ['oxygen', 3],
      ['make', 1],
      ['table', 2],
      ['hemoglobin', 4],
      ['quality', 3],
      ['guard', 1],
    ];
    for (const [word, n] of known) expect(syllables(word), word).toBe(n);
  });

  it('counts syllables of Spanish words as the RAE splits them', () => {
    const known: [string, number][] = [
      ['sangre', 2],
      ['corazón', 3],
      ['oxígeno', 4],
      ['riñones', 3],
      ['que', 1],
      ['guerra', 2],
      ['día', 2],
      ['ciudad', 2],
      ['muy', 1],
      ['hay', 1],
      ['leer', 2],
      ['colesterol', 4],
      ['pingüino', 3],
      ['huesos', 2],
      ['aéreo', 4],
      ['resultados', 4],
      ['y', 1],
    ];
    for (const [word, n] of known) expect(silabas(word), word).toBe(n);
  });

  it('grades simple text low and dense text high, in both languages', () => {
    expect(fleschKincaidGrade('The cat sat on the mat.')).toBeLessThan(2);
    const dense =
      'Glycated hemoglobin quantification approximates longitudinal glycemic exposure, facilitating ' +
      'characterization of metabolic dysregulation in individuals with suspected diabetes mellitus.';
    expect(fleschKincaidGrade(dense)).toBeGreaterThan(16);
    expect(fernandezHuerta('El gato come pan.')).toBeGreaterThan(90);
    const denso =
      'La cuantificación de hemoglobina glicosilada aproxima la exposición glucémica longitudinal, ' +
      'facilitando la caracterización de la desregulación metabólica en individuos con sospecha de diabetes.';
    expect(fernandezHuerta(denso)).toBeLessThan(GRADE_8_EASE - 30);
  });
});

/** Sample values for the messages' placeholders, as the view fills them. */
const SAMPLES: { readonly [L in Locale]: Record<string, string | number> } = {
  en: {
    date: 'Mar 5, 2024',
    value: '120 mg/dL',
    range: '70–99 mg/dL',
    name: 'Sandbox EHR',
    query: 'x',
    sources: 'Sandbox EHR, City Clinic',
  },
  es: {
    date: '5 de marzo de 2024',
    value: '120 mg/dL',
    range: '70–99 mg/dL',
    name: 'Sandbox EHR',
    query: 'x',
  },
};

/** A range word in the sentence the view puts it in. */
const IN_A_SENTENCE = { en: 'Your result is {w}.', es: 'Su resultado está {w}.' } as const;

/**
 * Every sentence the patient-facing pages write in one language. Names of tests
 * and conditions, and labels of one to three words (buttons, badges), are not
 * sentences: a formula built on words per sentence says nothing about them.
 */
function sentences(locale: Locale): string[] {
  const t = createTranslator({ locale, messages: MESSAGES[locale] });
  const m = MESSAGES[locale];
  const ns = <K extends 'patient' | 'start' | 'signedOut' | 'session' | 'merged' | 'sessionEnded'>(k: K) =>
    Object.keys(m[k])
      .filter((key) => !/^range(Between|UpTo|AtLeast)$/.test(key))
      .map((key) => `${k}.${key}`);
  const keys = [
    ...ns('patient'),
    ...ns('start'),
    ...ns('signedOut'),
    ...ns('session'),
    ...ns('merged'),
    ...ns('sessionEnded'),
    ...(['up', 'down', 'same'] as const).map((d) => `trend.${d}`),
    ...PLAIN_TEST_KEYS.map((k) => `tests.${k}.explains`),
    'tests.unknown',
  ];
  const values = { ...SAMPLES[locale], exact: 'yes', count: 2 };
  return [
    ...keys.map((key) => t(key as never, values as never)),
    ...(['below', 'in', 'above'] as const).map((p) => IN_A_SENTENCE[locale].replace('{w}', t(`range.${p}`))),
  ].filter((text) => (text.match(WORD) ?? []).length >= 4);
}

describe('reading level of the patient-facing pages', () => {
  it('checks every sentence of both languages', () => {
    for (const locale of LOCALES) expect(sentences(locale).length).toBeGreaterThan(60);
  });
  it.each(sentences('en').map((s) => [s]))('"%s" is at grade 8 or lower', (sentence) => {
    expect(fleschKincaidGrade(sentence)).toBeLessThanOrEqual(8);
  });
  it.each(sentences('es').map((s) => [s]))('"%s" is at grado 8 or lower (Fernández-Huerta)', (sentence) => {
    expect(fernandezHuerta(sentence)).toBeGreaterThanOrEqual(GRADE_8_EASE);
  });
});
