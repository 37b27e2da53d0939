import { describe, expect, it } from 'vitest';
import type { ChartWarning } from '@/lib/chart/types';
import { dedupeNotices } from './chart-warnings';

// The two OperationOutcome messages Epic's recorded answers carry on every search (sandbox/fhir/personalities).
const NOT_AUTHORIZED =
  "The authenticated client's search request applies to a sub-resource that the client is not authorized for. Results of this sub-type will not be returned.";
const AT_REQUEST_TIME =
  'This response includes information available to the authorized user at the time of the request. It may not contain the entire record available in the system.';

const withheld = (
  resourceType: ChartWarning['resourceType'],
  category: string | undefined,
  message: string,
): ChartWarning => ({ resourceType, kind: 'withheld', ...(category ? { category } : {}), message });

describe('dedupeNotices', () => {
  it('lists a message the EHR sent on every search once, with every panel it came from', () => {
    const both = (resourceType: ChartWarning['resourceType'], category?: string) => [
      withheld(resourceType, category, NOT_AUTHORIZED),
      withheld(resourceType, category, AT_REQUEST_TIME),
    ];
    const notices = dedupeNotices([
      { title: 'Patient details', warnings: both('Patient') },
      { title: 'Vitals', warnings: both('Observation', 'vital-signs') },
      { title: 'Problems', warnings: both('Condition') },
      { title: 'Smoking status', warnings: both('Observation', 'social-history') },
      { title: 'Lab results', warnings: both('Observation', 'laboratory') },
    ]);
    const panels = ['Patient details', 'Vitals', 'Problems', 'Smoking status', 'Lab results'];
    expect(notices.map((n) => [n.warning.message, n.panels])).toEqual([
      [NOT_AUTHORIZED, panels],
      [AT_REQUEST_TIME, panels],
    ]);
  });

  it('keeps the same sentence apart when it says something different happened', () => {
    const message = 'Some results could not be read.';
    const notices = dedupeNotices([
      { title: 'Vitals', warnings: [{ resourceType: 'Observation', kind: 'failed', message }] },
      { title: 'Lab results', warnings: [{ resourceType: 'Observation', kind: 'withheld', message }] },
      { title: 'Lab results', warnings: [{ resourceType: 'Observation', kind: 'withheld', message }] },
    ]);
    expect(notices.map((n) => [n.warning.kind, n.panels])).toEqual([
      ['failed', ['Vitals']],
      ['withheld', ['Lab results']],
    ]);
  });
});
