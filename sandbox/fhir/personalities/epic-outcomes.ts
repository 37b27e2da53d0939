/** OperationOutcome bodies as Epic's R4 sandbox sends them (recorded responses, same codes and texts). */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

const EPIC_ERRORS = 'urn:oid:1.2.840.114350.1.13.0.1.7.2.657369';

function epicIssue(
  severity: OperationOutcomeIssue['severity'],
  code: OperationOutcomeIssue['code'],
  epicCode: string,
  text: string,
  diagnostics?: string,
): OperationOutcomeIssue {
  return {
    severity,
    code,
    details: { coding: [{ system: EPIC_ERRORS, code: epicCode, display: text }], text },
    ...(diagnostics ? { diagnostics } : {}),
  };
}

const SUPPRESSED_TEXT =
  "The authenticated client's search request applies to a sub-resource that the client is not authorized for. Results of this sub-type will not be returned.";

export function suppressed(subType: string): OperationOutcomeIssue {
  return epicIssue(
    'warning',
    'suppressed',
    '59204',
    SUPPRESSED_TEXT,
    `Client not authorized for ${subType}. Search results of this type have not been included.`,
  );
}

export const PARTIAL_RECORD = epicIssue(
  'warning',
  'processing',
  '4119',
  'This response includes information available to the authorized user at the time of the request. It may not contain the entire record available in the system.',
);

export const NO_RESULTS = epicIssue('warning', 'processing', '4101', 'Resource request returns no results.');

export const OBSERVATION_NEEDS_CODE_OR_CATEGORY: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [
    {
      ...epicIssue(
        'fatal',
        'required',
        '59108',
        'A required element is missing.',
        'Must have either code or category.',
      ),
      location: ['/f:code/category'],
      expression: ['code/category'],
    },
  ],
};

export const UNSUPPORTED_CATEGORY: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [
    suppressed('Observation - SmartData Elements'),
    epicIssue(
      'fatal',
      'invalid',
      '59022',
      'Combination of parameters is not valid for any authorized sub-resource. No search was performed.',
    ),
  ],
};

export const NOT_AUTHORIZED: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [
    epicIssue(
      'fatal',
      'processing',
      '4118',
      'The authenticated user is not authorized to view the requested data.',
    ),
  ],
};

/** Condition sub-types this client is never authorized for, as in the recorded searches. */
export const CONDITION_SUPPRESSED_SUBTYPES = [
  'Condition - Encounter Diagnosis',
  'Condition - Genomics',
  'Condition - Dental Finding',
  'Condition - Infection',
  'Condition - Medical History',
  'Condition - Reason For Visit',
] as const;
