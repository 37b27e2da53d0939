import type { AuditInput } from '../types';

/** Test-only event inputs: references shaped like a real EHR's, no real data. */
export const PATIENT = 'https://ehr.example/fhir/Patient/pat-8812';
export const USER = 'https://ehr.example/fhir/Practitioner/doc-77';

export const readInput = (tenant: string, i: number): AuditInput => ({
  action: i % 5 === 4 ? 'patient-query' : 'patient-read',
  outcome: i % 7 === 6 ? '8' : '0',
  tenant,
  user: USER,
  patient: i % 2 === 0 ? PATIENT : `https://ehr.example/fhir/Patient/other-${i}`,
  resourceTypes: ['Observation'],
  resourceRefs: [`Observation/obs-${i}`],
  query: `Observation?patient=pat-8812&category=vital-signs&_count=${i}`,
  sourceIp: '198.51.100.23',
  sessionId: 'sess-secret-value',
  launchId: `launch-${i}`,
  recorded: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
});
