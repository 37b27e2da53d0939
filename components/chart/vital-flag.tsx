import { NotPossible } from './not-possible';
import { BP_SEVERE, type Judgement } from './vital-judgement';

/**
 * Symbol and words carry the judgement; colour only repeats it. A reading that cannot be (lib/chart/possible.ts)
 * says so instead of being judged against a normal range.
 */
export function ReadingFlag({
  flag,
  stage2,
  impossible,
}: {
  readonly flag: Judgement['flag'];
  readonly stage2?: Judgement['stage2'] | undefined;
  readonly impossible?: string;
}) {
  if (impossible !== undefined) return <NotPossible why={impossible} of="reading" className="ml-2" />;
  if (flag === undefined) return null;
  const [symbol, text, tone] =
    flag === 'severe'
      ? ['▲▲', `Severely high (over ${BP_SEVERE.systolic}/${BP_SEVERE.diastolic})`, 'critical']
      : flag === 'stage2'
        ? [
            '▲▲',
            stage2?.guideline === 'ACC/AHA 2017'
              ? `Far above normal: stage 2 hypertension level (${stage2.at} or more, ACC/AHA 2017)`
              : `Far above normal: stage 2 level for this age (${stage2?.at ?? ''} or more, AAP 2017)`,
            'critical',
          ]
        : flag === 'above'
          ? ['▲', 'Above normal', 'high']
          : ['▼', 'Below normal', 'low'];
  return (
    <span
      className={`flag flag-${tone} ml-2${flag === 'stage2' ? ' flag-wrap' : ''}`}
      data-reading-flag={flag}
    >
      <span aria-hidden="true">{symbol}</span> {text}
    </span>
  );
}
