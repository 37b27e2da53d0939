import { describe, expect, it } from 'vitest';
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { detectVendor } from './detect';

const cs = (extra: Partial<CapabilityStatement>): CapabilityStatement => ({
  resourceType: 'CapabilityStatement',
  status: 'active',
  date: '2024-01-01',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  ...extra,
});

describe('detectVendor', () => {
  it('reads software name, publisher and implementation', () => {
    expect(detectVendor(cs({ software: { name: 'Epic' }, publisher: 'Epic' }))).toBe('epic');
    expect(detectVendor(cs({ publisher: 'Cerner' }))).toBe('cerner');
    expect(detectVendor(cs({ software: { name: 'Oracle Health Millennium Platform' } }))).toBe('cerner');
    expect(detectVendor(cs({ implementation: { description: 'athenahealth FHIR R4' } }))).toBe('athena');
    expect(detectVendor(cs({ publisher: 'NextGen Healthcare' }))).toBe('nextgen');
    expect(detectVendor(cs({ publisher: 'Allscripts' }))).toBe('veradigm');
    // How Veradigm's own server names itself (its sandbox's CapabilityStatement, Veradigm FHIR 4.22.0.1, 2026-05-07).
    expect(
      detectVendor(
        cs({
          name: 'Veradigm FHIR Server R4 Implementation',
          publisher: 'Veradigm',
          software: { name: 'Veradigm FHIR', version: '4.22.0.1' },
          implementation: {
            description: 'Veradigm Connect CP00101',
            url: 'https://fhir.fhirpoint.open.allscripts.com/fhirroute/fhir/CP00101',
          },
        }),
      ),
    ).toBe('veradigm');
    expect(detectVendor(cs({ software: { name: 'HAPI FHIR Server' } }))).toBe('generic');
  });

  it('never decides from a URL', () => {
    expect(
      detectVendor(
        cs({ implementation: { description: 'https://fhir.epic.com/api', url: 'https://fhir.epic.com/x' } }),
      ),
    ).toBe('generic');
    expect(detectVendor(undefined, { authorization_endpoint: 'https://authorization.cerner.com/x' })).toBe(
      'generic',
    );
    expect(detectVendor()).toBe('generic');
  });
});
