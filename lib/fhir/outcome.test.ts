import { describe, expect, it } from 'vitest';
import type { OperationOutcomeIssue } from '@medplum/fhirtypes';
import { warningsFromOutcome } from './outcome';

/** An issue as Epic's R4 API sends it (its error codes under its OID). */
const epic = (
  code: OperationOutcomeIssue['code'],
  epicCode: string,
  text: string,
): OperationOutcomeIssue => ({
  severity: 'warning',
  code,
  details: { coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.657369', code: epicCode }], text },
});

describe('warningsFromOutcome', () => {
  it("drops Epic's notice that a search found nothing, and keeps what it withheld", () => {
    const withheld = 'Results of this sub-type will not be returned.';
    const warnings = warningsFromOutcome(
      {
        resourceType: 'OperationOutcome',
        issue: [
          epic('processing', '4101', 'Resource request returns no results.'),
          epic('suppressed', '59204', withheld),
        ],
      },
      'Condition',
    );
    expect(warnings.map((w) => [w.kind, w.message])).toEqual([['withheld', withheld]]);
  });
});
