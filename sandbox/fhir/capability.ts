/** The CapabilityStatement of one personality, with the SMART oauth-uris extension. */
import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import type { OAuthEndpoints } from '../contract';
import type { PersonalityDef } from './personalities/types';

const SEARCH_PARAMS: Readonly<Record<string, readonly [string, CapabilityParamType][]>> = {
  Patient: [
    ['_id', 'token'],
    ['name', 'string'],
    ['family', 'string'],
    ['given', 'string'],
    ['birthdate', 'date'],
    ['gender', 'token'],
    ['identifier', 'token'],
  ],
  Observation: [
    ['patient', 'reference'],
    ['category', 'token'],
    ['code', 'token'],
    ['date', 'date'],
    ['status', 'token'],
    ['_id', 'token'],
  ],
  Condition: [
    ['patient', 'reference'],
    ['category', 'token'],
    ['clinical-status', 'token'],
    ['verification-status', 'token'],
    ['code', 'token'],
    ['onset-date', 'date'],
  ],
  Encounter: [
    ['patient', 'reference'],
    ['date', 'date'],
    ['status', 'token'],
    ['class', 'token'],
  ],
  Practitioner: [
    ['_id', 'token'],
    ['name', 'string'],
  ],
  Organization: [['_id', 'token']],
};

type CapabilityParamType = 'token' | 'string' | 'date' | 'reference';

export function capabilityStatement(
  base: string,
  personality: PersonalityDef,
  oauth: OAuthEndpoints,
  date: string,
): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: personality.software.publisher,
    kind: 'instance',
    software: { name: personality.software.name, version: personality.software.version },
    implementation: { description: `Sandbox FHIR R4 server (${personality.name} personality)`, url: base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: true,
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
              text: 'OAuth2 using SMART-on-FHIR profile',
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: oauth.authorize },
                { url: 'token', valueUri: oauth.token },
                { url: 'revoke', valueUri: oauth.revoke },
                { url: 'introspect', valueUri: oauth.introspect },
              ],
            },
          ],
        },
        resource: Object.entries(SEARCH_PARAMS).map(([type, params]): CapabilityStatementRestResource => ({
          type: type as CapabilityStatementRestResource['type'],
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: params.map(([name, paramType]) => ({ name, type: paramType })),
        })),
      },
    ],
  };
}
