import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@medplum/fhirtypes';
import {
  ACTION_SYSTEM,
  buildAuditEvent,
  recordedDetail,
  recordedIdentity,
  recordedQuery,
  recordedResourceTypes,
  recordedSourceAddress,
} from './audit-event';
import type { AuditAction, AuditInput } from './types';

const when = new Date('2026-03-01T12:34:56.789+02:00');
const ctx = { appId: 'https://chart.example.org', sessionHmac: 'ab'.repeat(32) };

describe('buildAuditEvent (IHE BALP)', () => {
  it("names the user by reference, and by the practitioner's name when the sign-in gave one", () => {
    const base = {
      action: 'login',
      outcome: '0',
      tenant: 'epic-prod',
      user: 'https://ehr.example/fhir/Practitioner/42',
    } as const;
    const recipient = (input: AuditInput) =>
      buildAuditEvent(input, when, ctx).agent.find((a) => a.who?.reference === base.user)?.who;
    expect(recipient({ ...base, userName: 'Dr. Amara Okafor' })).toEqual({
      reference: base.user,
      display: 'Dr. Amara Okafor',
    });
    expect(recipient(base)).toEqual({ reference: base.user });
  });

  it('records a patient read as a BALP PatientRead', () => {
    const input: AuditInput = {
      action: 'patient-read',
      outcome: '0',
      tenant: 'epic-prod',
      user: 'https://ehr.example/fhir/Practitioner/42',
      patient: 'https://ehr.example/fhir/Patient/123',
      resourceTypes: ['Patient'],
      resourceRefs: ['Patient/123'],
      sourceIp: '203.0.113.9',
      sessionId: 'secret-session',
      launchId: 'launch-1',
    };
    const ev = buildAuditEvent(input, when, ctx);
    expect(ev.type).toMatchObject({ code: 'rest' });
    expect(ev.subtype).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'read' }),
        { system: ACTION_SYSTEM, code: 'patient-read' },
      ]),
    );
    expect(ev.action).toBe('R');
    expect(ev.recorded).toBe('2026-03-01T10:34:56.789Z');
    const user = ev.agent[0]!;
    expect(user).toMatchObject({ requestor: true, who: { reference: input.user } });
    // BALP: a user is no network device; the address is the browser's, an agent of its own.
    expect(user.network).toBeUndefined();
    expect(ev.agent[1]).toEqual({
      type: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
            code: 'DEV',
            display: 'device',
          },
        ],
      },
      who: { display: 'web browser' },
      requestor: false,
      network: { address: '203.0.113.9', type: '2' },
    });
    expect(recordedSourceAddress(ev)).toBe('203.0.113.9');
    expect(ev.source.observer).toMatchObject({ identifier: { value: ctx.appId } });
    expect(ev.source.site).toBe('epic-prod');
    const patient = ev.entity?.find((e) => e.role?.code === '1');
    expect(patient).toMatchObject({ what: { reference: input.patient }, type: { code: '1' } });
    expect(ev.entity?.some((e) => e.what?.reference === 'Patient/123' && e.role?.code === '4')).toBe(true);
    // BALP Read: the data entity names what was read; no query entity beside it.
    expect(ev.entity?.some((e) => e.role?.code === '24')).toBe(false);
    expect(recordedQuery(ev)).toBe('Patient/123');
    expect(recordedResourceTypes(ev)).toEqual(['Patient']);
    // The raw session id never appears; only its keyed pseudonym.
    expect(JSON.stringify(ev)).not.toContain('secret-session');
    expect(JSON.stringify(ev)).toContain(ctx.sessionHmac);
  });

  it('records a search as a BALP PatientQuery with the query base64-encoded', () => {
    const ev = buildAuditEvent(
      {
        action: 'patient-query',
        outcome: '0',
        tenant: 't',
        patient: 'https://e/Patient/1',
        resourceTypes: ['Observation'],
        query: 'Observation?patient=1&category=laboratory',
      },
      when,
      ctx,
    );
    expect(ev.subtype?.[0]).toMatchObject({ code: 'search-type' });
    expect(ev.action).toBe('E');
    const q = ev.entity?.find((e) => e.role?.code === '24');
    expect(Buffer.from(q?.query ?? '', 'base64').toString()).toBe(
      'Observation?patient=1&category=laboratory',
    );
    // BALP PatientQuery: the query entity holds the raw request only (detail 0..0).
    expect(Object.keys(q ?? {}).sort()).toEqual(['query', 'role', 'type']);
    expect(recordedQuery(ev)).toBe('Observation?patient=1&category=laboratory');
    expect(recordedResourceTypes(ev)).toEqual(['Observation']);
  });

  it("keeps what was asked for (the panel, the resource types) in the app's own entity", () => {
    const ev = buildAuditEvent(
      {
        action: 'patient-query',
        outcome: '0',
        tenant: 't',
        patient: 'https://e/Patient/1',
        resourceTypes: ['Observation', 'Patient'],
        detail: 'labs',
        query: 'Observation?patient=1&category=laboratory',
      },
      when,
      ctx,
    );
    expect(ev.entity?.find((e) => e.type?.system === 'urn:smart-chart:audit-entity')).toEqual({
      type: { system: 'urn:smart-chart:audit-entity', code: 'request', display: 'What was asked for' },
      description: 'labs',
      detail: [
        { type: 'resourceType', valueString: 'Observation' },
        { type: 'resourceType', valueString: 'Patient' },
      ],
    });
    expect(recordedDetail(ev)).toBe('labs');
    expect(recordedResourceTypes(ev)).toEqual(['Observation', 'Patient']);
  });

  it('reads events recorded before: the panel and types on the query entity, the address on the user', () => {
    const earlier = {
      resourceType: 'AuditEvent',
      type: { code: 'rest' },
      recorded: '2026-01-01T00:00:00.000Z',
      source: { observer: { display: 'smart-chart' } },
      agent: [{ requestor: true, who: { reference: 'P/1' }, network: { address: '192.0.2.8', type: '2' } }],
      entity: [
        {
          role: { code: '24' },
          query: Buffer.from('Patient/123').toString('base64'),
          description: 'banner',
          detail: [{ type: 'resourceType', valueString: 'Patient' }],
        },
      ],
    } as AuditEvent;
    expect(recordedSourceAddress(earlier)).toBe('192.0.2.8');
    expect(recordedQuery(earlier)).toBe('Patient/123');
    expect(recordedDetail(earlier)).toBe('banner');
    expect(recordedResourceTypes(earlier)).toEqual(['Patient']);
  });

  it('keeps a read that names nothing it read as a query, so its request is not lost', () => {
    const ev = buildAuditEvent(
      { action: 'patient-read', outcome: '8', tenant: 't', query: 'Patient/1', resourceTypes: ['Patient'] },
      when,
      ctx,
    );
    expect(recordedQuery(ev)).toBe('Patient/1');
  });

  it("names an export's destination: the browser the records go to", () => {
    const ev = buildAuditEvent(
      {
        action: 'console-export',
        outcome: '0',
        tenant: 'console',
        user: 'console-user/a',
        sourceIp: '192.0.2.4',
      },
      when,
      ctx,
    );
    const browser = ev.agent.find((a) => a.network?.type === '2');
    expect(browser?.type?.coding?.[0]).toMatchObject({ code: '110152', display: 'Destination Role ID' });
    expect(ev.agent.find((a) => a.who?.display === 'smart-chart')?.type?.coding?.[0]?.code).toBe('110153');
  });

  it.each<[AuditAction, string, string | undefined]>([
    ['login', '110114', '110122'],
    ['logout', '110114', '110123'],
    ['session-timeout', '110114', '110123'],
    ['access-denied', '110113', undefined],
    ['console-export', '110106', undefined],
  ])('classifies %s with DICOM codes', (action, type, subtype) => {
    const ev = buildAuditEvent(
      {
        action,
        outcome: action === 'access-denied' ? '8' : '0',
        outcomeDesc: 'unknown issuer',
        tenant: 'app',
      },
      when,
      ctx,
    );
    expect(ev.type.code).toBe(type);
    expect(ev.subtype?.map((c) => c.code)).toEqual(subtype ? [subtype, action] : [action]);
    expect(ev.agent[0]?.who).toEqual({ display: 'anonymous' });
    expect(ev.outcomeDesc).toBe('unknown issuer');
  });

  describe('BALP context', () => {
    const read: AuditInput = {
      action: 'patient-read',
      outcome: '0',
      tenant: 'epic-prod',
      user: 'https://ehr.example/fhir/Practitioner/42',
      patient: 'https://ehr.example/fhir/Patient/123',
    };

    it('gives the EHR agent its FHIR base and the observer a system', () => {
      const ev = buildAuditEvent(read, when, ctx);
      expect(ev.agent[2]).toMatchObject({ network: { address: 'https://ehr.example/fhir', type: '5' } });
      expect(buildAuditEvent({ ...read, fhirBase: 'https://other/r4' }, when, ctx).agent[2]?.network).toEqual(
        {
          address: 'https://other/r4',
          type: '5',
        },
      );
      expect(ev.source.observer.identifier).toEqual({ system: 'urn:ietf:rfc:3986', value: ctx.appId });
    });

    it('names the roles as BALP does: for a read the EHR is the source, for a query this app', () => {
      const roles = (input: AuditInput) =>
        buildAuditEvent(input, when, ctx)
          .agent.slice(1, 3)
          .map((a) => `${a.who?.display ?? a.who?.identifier?.value} ${a.type?.coding?.[0]?.code}`);
      expect(roles(read)).toEqual(['smart-chart 110152', 'epic-prod 110153']);
      expect(roles({ ...read, action: 'patient-query' })).toEqual(['smart-chart 110153', 'epic-prod 110152']);
    });

    it('records the purpose: treatment for a clinician, patient request for a patient, explicit when given', () => {
      const purpose = (i: AuditInput) => buildAuditEvent(i, when, ctx).purposeOfEvent?.[0]?.coding?.[0];
      expect(purpose(read)).toMatchObject({ code: 'TREAT', display: 'Treatment' });
      expect(purpose({ ...read, user: 'https://ehr.example/fhir/Patient/123' })?.code).toBe('PATRQT');
      expect(purpose({ ...read, purposeOfUse: 'HOPERAT' })?.code).toBe('HOPERAT');
      expect(purpose({ action: 'login', outcome: '0', tenant: 't', user: read.user })).toBeUndefined();
    });

    it('carries the OAuth client, issuer and subject and the request id, and nothing that looks like a token', () => {
      const ev = buildAuditEvent(
        {
          ...read,
          requestId: 'req-7f3a',
          userName: 'Dr. Amara Okafor',
          oauth: {
            clientId: 'smart-chart-client',
            issuer: 'https://ehr.example/auth',
            subject: 'u-42',
            tokenId: 'urn:ietf:params:oauth:jti:9c1e',
          },
        },
        when,
        ctx,
      );
      // BALP OAUTHaccessTokenUse: the user by the token's issuer and subject, the name searchable, the token's id.
      expect(ev.agent[0]).toMatchObject({
        who: {
          reference: read.user,
          display: 'Dr. Amara Okafor',
          identifier: { system: 'https://ehr.example/auth', value: 'u-42' },
        },
        name: 'Dr. Amara Okafor',
        policy: ['urn:ietf:params:oauth:jti:9c1e'],
      });
      // The application, as DICOM's Application with the client_id.
      expect(ev.agent[3]).toEqual({
        type: {
          coding: [
            {
              system: 'http://dicom.nema.org/resources/ontology/DCM',
              code: '110150',
              display: 'Application',
            },
          ],
        },
        who: { identifier: { value: 'smart-chart-client' } },
        requestor: false,
      });
      expect(ev.entity?.find((e) => e.type?.code === 'XrequestId')?.what).toEqual({
        identifier: { value: 'req-7f3a' },
      });
      expect(JSON.stringify(ev)).not.toMatch(/token"|eyJ/);
    });
  });

  it("carries the patient's name, birth date and MRN on the patient entity, and reads them back", () => {
    const identity = {
      name: 'Brennan, Sam',
      birthDate: '1980-03-04',
      mrn: { system: 'urn:oid:1.2.3', value: 'SBX0100001' },
    };
    const base = {
      action: 'patient-read',
      outcome: '0',
      tenant: 'epic-prod',
      patient: 'https://ehr.example/fhir/Patient/123',
    } as const;
    const ev = buildAuditEvent({ ...base, patientIdentity: identity }, when, ctx);
    expect(ev.entity?.[0]).toMatchObject({
      what: {
        reference: base.patient,
        display: 'Brennan, Sam',
        identifier: { system: 'urn:oid:1.2.3', value: 'SBX0100001' },
      },
      detail: [{ type: 'birthDate', valueString: '1980-03-04' }],
    });
    expect(recordedIdentity(ev)).toEqual(identity);
    expect(recordedIdentity(buildAuditEvent(base, when, ctx))).toBeUndefined();
    expect(buildAuditEvent(base, when, ctx).entity?.[0]?.what).toEqual({ reference: base.patient });
  });
});
