/**
 * Beside a result or reading the EHR released before it was verified (Observation.status preliminary): it is shown,
 * as a critical value must be, and said to be preliminary in words wherever its value is.
 */
export function Preliminary({
  status,
  className = '',
}: {
  readonly status: 'preliminary' | undefined;
  readonly className?: string;
}) {
  if (status !== 'preliminary') return null;
  return (
    <span
      className={`flag flag-abnormal${className === '' ? '' : ` ${className}`}`}
      title="Preliminary: not yet verified, it may still change"
      data-preliminary
    >
      Preliminary
      <span className="sr-only">: not yet verified, it may still change</span>
    </span>
  );
}
