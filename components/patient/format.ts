'use client';

import { useFormatter, useLocale } from 'next-intl';
import { shownDecimals } from '@/lib/chart/precision';
import type { Quantity } from '@/lib/chart/types';
import { useDisplayZone } from '../chart/display-zone';
import { calendarDay, unitLabel } from '../chart/format';

/** What the formatter may know about a value beyond its unit: the analyte, and the value as recorded when converted. */
export interface PatientQuantityContext {
  readonly loinc?: string | undefined;
  readonly original?: Quantity | undefined;
  /** Decimals the value needs at least (LabResult.decimals), as in the clinician's chart. */
  readonly atLeast?: number | undefined;
}

/** The date part of a FHIR date or dateTime: "2024", "2024-03", "2024-03-05…"; never of free text ("2015 or so"). */
const DATE_PART = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export interface PatientDate {
  /** "Mar 5, 2024" / "5 de marzo de 2024"; "March 2024" when only the month is known. */
  readonly text: string;
  /** Whether the day is known ("yes"): Spanish says "el 5 de marzo" but "en marzo". */
  readonly exact: 'yes' | 'no';
}

/**
 * Dates and numbers in the patient's language: "Mar 5, 2024" and "5.4 mmol/L"
 * in English, "5 de marzo de 2024" and "5,4 mmol/L" in Spanish. A date
 * without a time is the day the EHR recorded, never shifted; a date with a
 * time is the day it was in the page's time zone (components/chart/display-zone.tsx),
 * so the server's and the browser's rendering agree. Numbers are shown with the
 * chart's decimals (shownDecimals): "0.290 kU/L" where the chart says so, a
 * temperature converted from °F no finer than it was taken.
 */
export function usePatientFormat() {
  const format = useFormatter();
  const locale = useLocale();
  const zone = useDisplayZone();
  const number = (value: number, unit?: string, ctx: PatientQuantityContext = {}) => {
    const decimals = shownDecimals({
      value,
      ...(unit ? { unit } : {}),
      ...(ctx.loinc ? { loinc: ctx.loinc } : {}),
      ...(ctx.original ? { original: ctx.original } : {}),
      ...(ctx.atLeast === undefined ? {} : { atLeast: ctx.atLeast }),
    });
    // No "-0" or "-0,0" for a small negative value rounded to zero, as in the chart.
    return format.number(value, {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      signDisplay: 'negative',
    });
  };
  const quantity = (value: number, unit?: string, ctx: PatientQuantityContext = {}) => {
    const u = unitLabel(unit);
    return u === '' ? number(value, unit, ctx) : `${number(value, unit, ctx)} ${u}`;
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
      // A time of day puts the value on the day it was in the reader's zone (when the page has one).
      const m = DATE_PART.exec(zone !== undefined && value.length > 10 ? calendarDay(value, zone) : value);
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
