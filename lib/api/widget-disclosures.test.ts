import { describe, expect, it } from 'vitest';
import { widgetDisclosures } from './widgets';

describe('widgetDisclosures', () => {
  const declared = { action: 'patient-query', resourceTypes: ['Observation'], detail: 'laboratory' } as const;

  it('makes one record per query: a read of Type/id is a read of that resource, a search keeps its query', () => {
    expect(
      widgetDisclosures(declared, [
        'Observation?patient=p%201&category=laboratory',
        'Observation?patient=p%201&category=laboratory&_page=2',
        'Patient/p%201',
      ]),
    ).toEqual([
      { ...declared, query: 'Observation?patient=p%201&category=laboratory' },
      { ...declared, query: 'Observation?patient=p%201&category=laboratory&_page=2' },
      {
        action: 'patient-read',
        resourceTypes: ['Patient'],
        resourceRefs: ['Patient/p 1'],
        detail: 'laboratory',
        query: 'Patient/p%201',
      },
    ]);
  });

  it('still records the declared disclosure when the read made no query', () => {
    expect(widgetDisclosures(declared, [])).toEqual([declared]);
  });
});
