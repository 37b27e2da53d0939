import type { OperationOutcome } from '@medplum/fhirtypes';
import type { ChartWarning } from '../chart/types';

type WarningResource = ChartWarning['resourceType'];

/** Issue codes by which an EHR says it left data out of a search. */
const WITHHELD_CODES = new Set([
  'suppressed',
  'forbidden',
  'security',
  'login',
  'unknown',
  'too-costly',
  'incomplete',
]);

/**
 * Issues that say only that the search found nothing, which the chart's empty state already says: Epic's 4101
 * "Resource request returns no results." (a warning in its R4 API). Shown as a warning, it read as data left out
 * above a panel whose data a wider period's search had found.
 */
const NOTHING_FOUND = new Set(['urn:oid:1.2.840.114350.1.13.0.1.7.2.657369|4101']);

const saysNothingFound = (issue: OperationOutcome['issue'][number]): boolean =>
  (issue.details?.coding ?? []).some((c) => NOTHING_FOUND.has(`${c.system ?? ''}|${c.code ?? ''}`));

/**
 * OperationOutcome entries of a search Bundle → warnings a clinician can read.
 * A search that returned 200 still produced data, so every issue here is
 * about what is missing: `withheld`. Informational issues are dropped;
 * identical messages are reported once.
 */
export function warningsFromOutcome(
  outcome: OperationOutcome,
  resourceType: WarningResource,
  category?: string,
): ChartWarning[] {
  const out: ChartWarning[] = [];
  for (const issue of outcome.issue) {
    if (issue.severity === 'information' || saysNothingFound(issue)) continue;
    const message = issue.details?.text ?? issue.diagnostics ?? defaultMessage(issue.code);
    const kind: ChartWarning['kind'] =
      WITHHELD_CODES.has(issue.code) || issue.severity === 'warning' ? 'withheld' : 'failed';
    out.push({ resourceType, kind, message, ...(category ? { category } : {}) });
  }
  return out;
}

function defaultMessage(code: string | undefined): string {
  return code === 'suppressed'
    ? 'The EHR withheld some results.'
    : 'The EHR reported a problem with part of this search.';
}

/** Drops repeated warnings (same kind, category and message). */
export function dedupeWarnings(warnings: readonly ChartWarning[]): ChartWarning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = `${w.resourceType}|${w.kind}|${w.category ?? ''}|${w.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
