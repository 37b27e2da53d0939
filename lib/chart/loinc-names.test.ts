import type { CodeableConcept } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { LOINC } from './coding';
import { LAB_CODES, labPanel, labShortName } from './lab-panels';
import { isLoincCode, labLoinc, LONG_COMMON_NAMES, loincByName } from './loinc-names';

const concept = (...coding: CodeableConcept['coding'] & object): CodeableConcept => ({ coding });

describe('isLoincCode', () => {
  it('takes a code with its Mod 10 check digit, and nothing else', () => {
    for (const code of ['2345-7', '718-7', '4548-4', '48642-3', '98979-8', '10834-0', '3097-3', '1759-0'])
      expect(isLoincCode(code), code).toBe(true);
    for (const code of ['2345-6', '718-1', '12809', '42454', '2345', '-7', '2345-77', '12345678-9', 'abc-1'])
      expect(isLoincCode(code), code).toBe(false);
  });

  it('holds for every code of the panel table and of the names, and each named code is one the table places', () => {
    expect(LAB_CODES.filter((c) => !isLoincCode(c))).toEqual([]);
    expect(Object.keys(LONG_COMMON_NAMES).filter((c) => !isLoincCode(c))).toEqual([]);
    expect(Object.keys(LONG_COMMON_NAMES).filter((c) => !LAB_CODES.includes(c))).toEqual([]);
    // No two codes share a name.
    const names = Object.values(LONG_COMMON_NAMES).map((n) => n.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('labLoinc', () => {
  it('names the test by its LOINC long common name where the code under LOINC is not LOINC', () => {
    // As athenahealth sends a serum glucose: its own analyte number under http://loinc.org, LOINC's name.
    const glucose = concept({
      system: LOINC,
      code: '12809',
      display: 'Glucose [Mass/volume] in Serum or Plasma',
    });
    expect(labLoinc(glucose)).toBe('2345-7');
    expect(labShortName(labLoinc(glucose))).toBe('Glucose');
    expect(labPanel(labLoinc(glucose))).toBe('metabolic');
    expect(
      labLoinc(
        concept({
          system: LOINC,
          code: '42454',
          display:
            'Glomerular filtration rate/1.73 sq M.predicted among non-blacks [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (MDRD)',
        }),
      ),
    ).toBe('48642-3');
    // Spacing and case do not matter.
    expect(loincByName('  urea nitrogen  [Mass/volume] in serum or plasma')).toBe('3094-0');
  });

  it('keeps a LOINC code over any name, and a code it cannot place as it was sent', () => {
    // The name of another test beside a LOINC code: the code wins.
    expect(
      labLoinc(
        concept({ system: LOINC, code: '2823-3', display: 'Sodium [Moles/volume] in Serum or Plasma' }),
      ),
    ).toBe('2823-3');
    // A local code beside the LOINC one.
    expect(
      labLoinc(
        concept(
          { system: LOINC, code: '20007', display: 'Potassium [Moles/volume] in Serum or Plasma' },
          { system: LOINC, code: '2951-2' },
        ),
      ),
    ).toBe('2951-2');
    expect(labLoinc(concept({ system: LOINC, code: '99999', display: 'Something else' }))).toBe('99999');
    // A name under another system is not LOINC's word for the test.
    expect(
      labLoinc(
        concept({ system: 'urn:local', code: '12809', display: 'Glucose [Mass/volume] in Serum or Plasma' }),
      ),
    ).toBeUndefined();
    expect(labLoinc({ text: 'Glucose' })).toBeUndefined();
  });

  it('reads a frozen concept once and gives the same answer', () => {
    const frozen = Object.freeze(
      concept(
        Object.freeze({ system: LOINC, code: '7941', display: 'Albumin [Mass/volume] in Serum or Plasma' }),
      ),
    );
    expect(labLoinc(frozen)).toBe('1751-7');
    expect(labLoinc(frozen)).toBe('1751-7');
  });
});
