'use client';

import { useFormatter, useLocale } from 'next-intl';
import { displayDecimals } from '@/lib/chart/precision';
import { unitLabel } from '../chart/format';

/** The date part of a FHIR date or dateTime: "2024", "2024-03", "2024-03-05…". */
const DATE_PART = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;

export interface PatientDate {
  /** "Mar 5, 2024" / "5 de marzo de 2024"; "March 2024" when only the month is known. */
  readonly text: string;
  /** Whether the day is known ("yes"): Spanish says "el 5 de marzo" but "en marzo". */
  readonly exact: 'yes' | 'no';
}

/**
 * Dates and numbers in the patient's language: "Mar 5, 2024" and "5.4 mmol/L"
 * in English, "5 de marzo de 2024" and "5,4 mmol/L" in Spanish. A date is the
 * day the EHR recorded (its local date), never shifted by a time zone, so the
 * server's and the browser's rendering agree. Numbers keep the chart's
 * clinical precision.
 */
export function usePatientFormat() {
  const format = useFormatter();
  const locale = useLocale();
  const number = (value: number, unit?: string, loinc?: string) =>
    format.number(value, {
      maximumFractionDigits: displayDecimals({
        value,
        ...(unit ? { unit } : {}),
        ...(loinc ? { loinc } : {}),
      }),
    });
  const quantity = (value: number, unit?: string, loinc?: string) => {
    const u = unitLabel(unit);
    return u === '' ? number(value, unit, loinc) : `${number(value, unit, loinc)} ${u}`;
  };
  return {
    number,
    quantity,
    /** "194/98 mmHg"; a missing part is a dash. */
    bloodPressure: (systolic: number | undefined, diastolic: number | undefined) => {
      const part = (v: number | undefined) => (v === undefined ? '—' : number(v, 'mm[Hg]'));
      return `${part(systolic)}/${part(diastolic)} ${unitLabel('mm[Hg]')}`;
    },
    date: (value: string): PatientDate => {
      const m = DATE_PART.exec(value);
      if (!m) return { text: value, exact: 'no' };
      const [, y, mo, d] = m;
      const when = Date.UTC(
        Number(y),
        mo === undefined ? 0 : Number(mo) - 1,
        d === undefined ? 1 : Number(d),
      );
      if (mo === undefined) return { text: String(y), exact: 'no' };
      const month = locale === 'en' ? 'short' : 'long';
      if (d === undefined)
        return {
          text: format.dateTime(when, { year: 'numeric', month: 'long', timeZone: 'UTC' }),
          exact: 'no',
        };
      return {
        text: format.dateTime(when, { year: 'numeric', month, day: 'numeric', timeZone: 'UTC' }),
        exact: 'yes',
      };
    },
  };
}
