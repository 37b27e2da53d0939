'use client';

import { useTranslations } from 'next-intl';
import { rangeBarScale, rangePosition, type UsualRange } from '@/lib/chart/plain-language';

const TONE = { below: 'bg-amber-600', in: 'bg-emerald-700', above: 'bg-amber-600' } as const;

/** Whether RangeBar can place the value against the range; where it cannot, it says no usual range was given. */
export function placeable(value: number, range: UsualRange | undefined): boolean {
  return (
    range !== undefined &&
    rangePosition(value, range) !== undefined &&
    rangeBarScale(value, range) !== undefined
  );
}

/**
 * A bar with the usual range shaded and a dot where the value sits, and the
 * same in words ("above the usual range"): the words carry it for screen
 * readers and in print, the bar is decoration.
 */
export function RangeBar({ value, range }: { readonly value: number; readonly range?: UsualRange }) {
  const t = useTranslations();
  const position = rangePosition(value, range);
  const scale = range === undefined ? undefined : rangeBarScale(value, range);
  if (position === undefined || scale === undefined)
    return <p className="text-sm text-slate-700">{t('patient.noRange')}</p>;
  return (
    <div className="flex flex-col gap-1">
      <div
        className="relative h-3 w-full rounded-full bg-slate-200"
        data-testid="range-bar"
        title={t('patient.rangeBarLabel')}
        aria-hidden="true"
      >
        <div
          className="absolute inset-y-0 rounded-full bg-emerald-200"
          style={{
            left: `${scale.usualStart}%`,
            width: `${Math.max(scale.usualEnd - scale.usualStart, 1)}%`,
          }}
        />
        <div
          className={`absolute top-1/2 h-4 w-4 -translate-x-1/2 -translate-y-1/2 rounded-full border-2 border-white ${TONE[position]}`}
          style={{ left: `${scale.value}%` }}
        />
      </div>
      <p className="text-sm font-medium text-slate-800" data-range-position={position}>
        {t(`range.${position}`)}
      </p>
    </div>
  );
}
