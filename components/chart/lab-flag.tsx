import type { LabFlag as LabFlagCode } from '@/lib/chart/types';

interface FlagStyle {
  readonly symbol: string;
  /** What a screen reader says, and the tooltip. */
  readonly text: string;
  readonly tone: 'high' | 'low' | 'critical' | 'abnormal' | 'normal';
}

/** Symbol and words carry the meaning; colour only repeats it. */
export function flagStyle(flag: LabFlagCode): FlagStyle {
  switch (flag) {
    case 'H':
      return { symbol: '▲', text: 'High', tone: 'high' };
    case 'L':
      return { symbol: '▼', text: 'Low', tone: 'low' };
    case 'HH':
      return { symbol: '▲▲', text: 'Critically high', tone: 'critical' };
    case 'LL':
      return { symbol: '▼▼', text: 'Critically low', tone: 'critical' };
    case 'A':
      return { symbol: '⚠', text: 'Abnormal', tone: 'abnormal' };
    case 'AA':
      return { symbol: '⚠⚠', text: 'Critically abnormal', tone: 'critical' };
    case 'N':
      return { symbol: '', text: 'Normal', tone: 'normal' };
  }
}

/**
 * The flag the server sent, never one computed here. A flag the server derived
 * from value and range (not the EHR's own interpretation) is marked with "*".
 */
export function LabFlag({
  flag,
  source,
}: {
  readonly flag: LabFlagCode | undefined;
  readonly source: 'ehr' | 'computed' | undefined;
}) {
  if (flag === undefined) return null;
  const style = flagStyle(flag);
  const computed = source === 'computed';
  const label = `${style.text}${computed ? ' (computed from the reference range, not flagged by the lab)' : ''}`;
  return (
    <span className={`flag flag-${style.tone}`} title={label}>
      <span aria-hidden="true">
        {style.symbol === '' ? '' : `${style.symbol} `}
        {flag}
        {computed ? '*' : ''}
      </span>
      <span className="sr-only">{label}</span>
    </span>
  );
}
