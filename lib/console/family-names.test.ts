import type { HumanName } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { familyNamesOf, normalizeFamilyName, sharesFamilyName } from './family-names';

const named = (...families: (string | undefined)[]): { name: HumanName[] } => ({
  name: families.map((family) => (family === undefined ? { given: ['Alex'] } : { family })),
});

describe('normalizeFamilyName', () => {
  it('ignores case, accents and surrounding or repeated whitespace', () => {
    expect(normalizeFamilyName('  Müller ')).toBe('muller');
    expect(normalizeFamilyName('MULLER')).toBe('muller');
    expect(normalizeFamilyName('García\u00a0 Márquez')).toBe('garcia marquez');
    // Precomposed and decomposed accents are the same name.
    expect(normalizeFamilyName('Nguy\u1ec5n')).toBe(normalizeFamilyName('Nguye\u0302\u0303n'));
    expect(normalizeFamilyName('Nguy\u1ec5n')).toBe('nguyen');
    expect(normalizeFamilyName('   ')).toBe('');
  });

  it('keeps names that differ in letters apart', () => {
    expect(normalizeFamilyName('Lee')).not.toBe(normalizeFamilyName('Li'));
    expect(normalizeFamilyName('Okafor')).not.toBe(normalizeFamilyName('Okafor-Lee'));
  });
});

describe('sharesFamilyName', () => {
  it('matches on any family name of either resource', () => {
    expect(sharesFamilyName(named('Lee'), named('lee'))).toBe(true);
    expect(sharesFamilyName(named('Okafor', 'Lee'), named('Brennan', ' LÉE '))).toBe(true);
    expect(sharesFamilyName(named('Lee'), named('Brennan'))).toBe(false);
  });

  it('never matches on missing or empty family names', () => {
    expect(sharesFamilyName(named(undefined), named(undefined))).toBe(false);
    expect(sharesFamilyName(named(''), named(' '))).toBe(false);
    expect(sharesFamilyName({}, named('Lee'))).toBe(false);
    expect(sharesFamilyName(undefined, undefined)).toBe(false);
  });

  it('collects each distinct normalised family once', () => {
    expect([...familyNamesOf(named('Lee', 'LEE', undefined, 'Kim'))]).toEqual(['lee', 'kim']);
  });
});
