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

type Issue = OperationOutcome['issue'][number];

const saysNothingFound = (issue: Issue): boolean =>
  (Array.isArray(issue.details?.coding) ? issue.details.coding : []).some(
    (c) => typeof c === 'object' && c !== null && NOTHING_FOUND.has(`${c.system ?? ''}|${c.code ?? ''}`),
  );

/** A text of the EHR's, when it is one: an EHR has sent objects where FHIR says string, which no page can show. */
const textOf = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** The issues of an OperationOutcome that are issues at all; an EHR's answer is not trusted to be well formed. */
export const issuesOf = (outcome: OperationOutcome): Issue[] =>
  (Array.isArray(outcome.issue) ? outcome.issue : []).filter(
    (i): i is Issue => typeof i === 'object' && i !== null,
  );

/** What an issue says, in the EHR's words where it gave them as text. */
export const issueDetailsText = (issue: Issue): string | undefined => textOf(issue.details?.text);
export const issueDiagnostics = (issue: Issue): string | undefined => textOf(issue.diagnostics);

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
  const issues = issuesOf(outcome);
  // A notice that says nothing readable still says the answer may be incomplete.
  if (issues.length === 0)
    return [
      {
        resourceType,
        kind: 'withheld',
        message: defaultMessage(undefined),
        ...(category ? { category } : {}),
      },
    ];
  for (const issue of issues) {
    if (issue.severity === 'information' || saysNothingFound(issue)) continue;
    const message = issueDetailsText(issue) ?? issueDiagnostics(issue) ?? defaultMessage(issue.code);
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
