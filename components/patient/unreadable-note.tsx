'use client';

import { useTranslations } from 'next-intl';
import type { UnreadableVital } from '@/lib/chart/types';
import { patientTestName } from './test-name';

/**
 * Under a vital whose system sent readings the app could not read the unit of (lib/chart/ucum.ts): said in words,
 * since the reading shown may then not be the newest.
 */
export function UnreadableNote({ count }: { readonly count: number | undefined }) {
  const t = useTranslations('patient');
  if (count === undefined || count === 0) return null;
  return (
    <p className="text-sm font-semibold" data-unreadable>
      {t('unreadableReadings', { count })}
    </p>
  );
}

/** Vitals the health system sent readings of, none of which could be shown: one sentence each, by its plain name. */
export function UnreadableVitalsNote({
  vitals,
}: {
  readonly vitals: readonly UnreadableVital[] | undefined;
}) {
  const t = useTranslations();
  if (vitals === undefined || vitals.length === 0) return null;
  return (
    <ul className="flex flex-col gap-1 text-sm font-semibold" data-unreadable>
      {vitals.map((v) => (
        <li key={v.kind}>
          {t('patient.unreadableVital', {
            name: patientTestName(t, v.loinc, v.label),
            count: v.count,
          })}
        </li>
      ))}
    </ul>
  );
}
