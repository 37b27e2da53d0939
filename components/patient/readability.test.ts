import { describe, expect, it } from 'vitest';
import { PLAIN_TESTS, RANGE_WORDS, TREND_WORDS, UNKNOWN_TEST_EXPLAINS } from '@/lib/chart/plain-language';
import { activeSince, comparedWith, latestOn, onRecordSince, PATIENT_TEXT, usualRange } from './strings';

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

const WORD = /[A-Za-z][A-Za-z'’-]*|\d+/g;

/** Flesch–Kincaid grade level: 0.39 × words per sentence + 11.8 × syllables per word − 15.59. */
export function fleschKincaidGrade(text: string): number {
  const sentences = Math.max(1, text.split(/[.!?]+(?:\s|$)/).filter((s) => s.trim() !== '').length);
  const words = text.match(WORD) ?? [];
  if (words.length === 0) return 0;
  const syl = words.reduce((n, w) => n + (/^\d+$/.test(w) ? 1 : syllables(w)), 0);
  return 0.39 * (words.length / sentences) + 11.8 * (syl / words.length) - 15.59;
}

describe('the syllable counter and grade formula', () => {
  it('counts syllables of common words as a dictionary does', () => {
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

  it('grades simple text low and dense text high', () => {
    expect(fleschKincaidGrade('The cat sat on the mat.')).toBeLessThan(2);
    const dense =
      'Glycated hemoglobin quantification approximates longitudinal glycemic exposure, facilitating ' +
      'characterization of metabolic dysregulation in individuals with suspected diabetes mellitus.';
    expect(fleschKincaidGrade(dense)).toBeGreaterThan(16);
  });
});

/** Every sentence the patient view writes, with sample dates and ranges in the templates. */
const SENTENCES: readonly string[] = [
  ...Object.values(PATIENT_TEXT),
  ...Object.values(PLAIN_TESTS).map((t) => t.explains),
  UNKNOWN_TEST_EXPLAINS,
  ...Object.values(RANGE_WORDS).map((w) => `Your result is ${w}.`),
  activeSince('Mar 5, 2024'),
  onRecordSince('Mar 5, 2024'),
  latestOn('Mar 5, 2024'),
  usualRange('70–99 mg/dL'),
  ...Object.values(TREND_WORDS).map((w) => comparedWith(w, 'Mar 5, 2024', '120 mg/dL')),
];

describe('reading level of the patient view', () => {
  it.each(SENTENCES.map((s) => [s]))('"%s" is at grade 8 or lower', (sentence) => {
    expect(fleschKincaidGrade(sentence)).toBeLessThanOrEqual(8);
  });
});
