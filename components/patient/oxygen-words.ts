'use client';

import { useTranslations } from 'next-intl';
import { onRoomAir } from '@/lib/chart/oxygen';
import type { SupplementalOxygen } from '@/lib/chart/types';
import { usePatientFormat } from './format';

/** A saturation's oxygen in the patient's words; undefined when the reading did not say. */
export type OxygenWords = (o: SupplementalOxygen | undefined) => string | undefined;

/** "with extra oxygen (2 L/min, 30 %)", "without extra oxygen", in the patient's language. */
export function useOxygenWords(): OxygenWords {
  const t = useTranslations('patient');
  const f = usePatientFormat();
  return (o) => {
    if (o === undefined) return undefined;
    if (onRoomAir(o)) return t('withoutOxygen');
    const amount = [
      ...(o.flow !== undefined ? [f.quantity(o.flow, 'L/min')] : []),
      ...(o.concentration !== undefined ? [f.quantity(o.concentration, '%')] : []),
    ].join(', ');
    return t('withOxygen', { amount });
  };
}
