/**
 * A lab result or vital-sign reading that cannot be (lib/chart/lab-possible.ts, lib/chart/possible.ts), said in
 * words where its flag would be: an error in the record to check, not a value to judge. `of` names the data
 * attribute tests and styles select it by (`data-result-flag` on labs, `data-reading-flag` on vital signs).
 */
export function NotPossible({
  why,
  of = 'result',
  className = '',
}: {
  readonly why: string | undefined;
  readonly of?: 'result' | 'reading';
  readonly className?: string;
}) {
  if (why === undefined) return null;
  const marker =
    of === 'result' ? { 'data-result-flag': 'impossible' } : { 'data-reading-flag': 'impossible' };
  return (
    <span className={`flag flag-critical flag-wrap${className === '' ? '' : ` ${className}`}`} {...marker}>
      <span aria-hidden="true">⚠</span> Not possible: {why}. Check the record.
    </span>
  );
}
