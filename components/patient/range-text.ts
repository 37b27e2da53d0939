'use client';

import { useTranslations } from 'next-intl';
import type { ReferenceRange } from '@/lib/chart/types';
import { unitLabel } from '../chart/format';
import { usePatientFormat } from './format';

/**
 * The usual range as written: "70–99 mg/dL", "up to 200 mg/dL", "40 mg/dL or more"; undefined for a range without
 * numbers.
 */
export function useRangeText(): (
  range: ReferenceRange | undefined,
  resultUnit: string | undefined,
  loinc: string | undefined,
) => string | undefined {
  const t = useTranslations('patient');
  const f = usePatientFormat();
  return (r, resultUnit, loinc) => {
    if (r === undefined) return undefined;
    const unitCode = r.unit ?? resultUnit;
    const label = unitLabel(unitCode);
    const unit = label === '' ? '' : ` ${label}`;
    const n = (v: number) => f.number(v, unitCode, { loinc });
    if (r.low !== undefined && r.high !== undefined)
      return t('rangeBetween', { low: n(r.low), high: n(r.high), unit });
    if (r.high !== undefined)
      return r.highExclusive
        ? t('rangeBelow', { limit: `${n(r.high)}${unit}` })
        : t('rangeUpTo', { high: n(r.high), unit });
    if (r.low !== undefined)
      return r.lowExclusive
        ? t('rangeAbove', { limit: `${n(r.low)}${unit}` })
        : t('rangeAtLeast', { low: n(r.low), unit });
    return undefined;
  };
}
