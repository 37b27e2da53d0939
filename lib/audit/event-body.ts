import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The plaintext sealed for each event (crypto.ts encrypts it): the event's
 * canonical JSON, compressed. Two forms are read:
 *
 * - Raw DEFLATE (events stored before format 1).
 * - Format 1: the byte 0xff, the byte 0x01, then raw DEFLATE with
 *   DICTIONARY_1 as its preset dictionary. AuditEvents repeat the same code
 *   systems and displays, so a dictionary of a typical event takes most of
 *   them out of every payload (985 → about 300 bytes for the benchmark's
 *   events) and inflating is about twice as fast.
 *
 * - Format 2: the byte 0xff, the byte 0x02, then raw DEFLATE with
 *   DICTIONARY_2, a typical search and read in the layout of BALP's agents and
 *   entities the events have had since format 2 (audit-event.ts): the same
 *   room as format 1 took for the layout before.
 *
 * The first byte tells them apart: raw DEFLATE never starts with block type
 * 3 (reserved), and 0xff has that type. A dictionary can never change;
 * another one needs another format number.
 */

/** A canonical AuditEvent with placeholder values (a patient read), as this app writes them. */
const DICTIONARY_1 = Buffer.from(
  [
    '{"action":"R","agent":[{"network":{"address":"192.0.2.1","type":"2"},"requestor":true,"type":{"c',
    'oding":[{"code":"IRCP","display":"information recipient","system":"http://terminology.hl7.org/Co',
    'deSystem/v3-ParticipationType"}]},"who":{"display":"Clinician","identifier":{"system":"https://e',
    'hr.example/fhir","value":"subject"},"reference":"https://ehr.example/fhir/Practitioner/practitio',
    'ner"}},{"network":{"address":"smart-chart","type":"5"},"requestor":false,"type":{"coding":[{"cod',
    'e":"110153","display":"Source Role ID","system":"http://dicom.nema.org/resources/ontology/DCM"}]',
    '},"who":{"display":"smart-chart","identifier":{"value":"smart-chart"}}},{"network":{"address":"h',
    'ttps://ehr.example/fhir","type":"5"},"requestor":false,"type":{"coding":[{"code":"110152","displ',
    'ay":"Destination Role ID","system":"http://dicom.nema.org/resources/ontology/DCM"}]},"who":{"ide',
    'ntifier":{"system":"urn:smart-chart:ehr-registration","value":"ehr"}}},{"requestor":false,"type"',
    ':{"coding":[{"code":"UserOauthAgent","display":"User OAuth Agent participant","system":"https://',
    'profiles.ihe.net/ITI/BALP/CodeSystem/UserAgentTypes"}]},"who":{"identifier":{"value":"smart-char',
    't"}}}],"entity":[{"role":{"code":"1","display":"Patient","system":"http://terminology.hl7.org/Co',
    'deSystem/object-role"},"type":{"code":"1","display":"Person","system":"http://terminology.hl7.or',
    'g/CodeSystem/audit-entity-type"},"what":{"reference":"https://ehr.example/fhir/Patient/patient"}',
    '},{"role":{"code":"4","display":"Domain Resource","system":"http://terminology.hl7.org/CodeSyste',
    'm/object-role"},"type":{"code":"2","display":"System Object","system":"http://terminology.hl7.or',
    'g/CodeSystem/audit-entity-type"},"what":{"reference":"Observation/observation"}},{"detail":[{"ty',
    'pe":"resourceType","valueString":"Observation"}],"query":"T2JzZXJ2YXRpb24/cGF0aWVudD1wYXRpZW50Jm',
    'NhdGVnb3J5PXZpdGFsLXNpZ25z","role":{"code":"24","display":"Query","system":"http://terminology.h',
    'l7.org/CodeSystem/object-role"},"type":{"code":"2","display":"System Object","system":"http://te',
    'rminology.hl7.org/CodeSystem/audit-entity-type"}},{"detail":[{"type":"launch","valueString":"lau',
    'nch"}],"role":{"code":"13","display":"Security Resource","system":"http://terminology.hl7.org/Co',
    'deSystem/object-role"},"type":{"code":"2","display":"System Object","system":"http://terminology',
    '.hl7.org/CodeSystem/audit-entity-type"},"what":{"identifier":{"system":"urn:smart-chart:session-',
    'hmac","value":"0000000000000000000000000000000000000000000000000000000000000000"}}},{"type":{"co',
    'de":"XrequestId","display":"X-Request-Id","system":"https://profiles.ihe.net/ITI/BALP/CodeSystem',
    '/BasicAuditEntityType"},"what":{"identifier":{"value":"request"}}}],"outcome":"0","purposeOfEven',
    't":[{"coding":[{"code":"TREAT","display":"Treatment","system":"http://terminology.hl7.org/CodeSy',
    'stem/v3-ActReason"}]}],"recorded":"2026-01-01T00:00:00.000Z","resourceType":"AuditEvent","source',
    '":{"observer":{"display":"smart-chart","identifier":{"system":"urn:ietf:rfc:3986","value":"smart',
    '-chart"}},"site":"ehr","type":[{"code":"4","display":"Application Server","system":"http://termi',
    'nology.hl7.org/CodeSystem/security-source-type"}]},"subtype":[{"code":"read","display":"read","s',
    'ystem":"http://hl7.org/fhir/restful-interaction"},{"code":"patient-read","system":"urn:smart-cha',
    'rt:audit-action"}],"type":{"code":"rest","display":"Restful Operation","system":"http://terminol',
    'ogy.hl7.org/CodeSystem/audit-event-type"}}',
  ].join(''),
  'utf8',
);

/** SHA-256 of DICTIONARY_1, checked once: stored events depend on every byte of it. */
const DICTIONARY_1_SHA256 = 'a5b33296b8e5dd380db74d060840076429c59142cbc5c36dc3127e64d8d5229c';

/** A canonical search and a canonical read with placeholder values, in the layout events are written in. */
const DICTIONARY_2 = Buffer.from(
  [
    '{"action":"E","agent":[{"name":"Clinician","policy":["urn:smart-chart:token-sha256:0000000000000',
    '0000000000000000000"],"requestor":true,"type":{"coding":[{"code":"IRCP","display":"information r',
    'ecipient","system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType"}]},"who":{"displ',
    'ay":"Clinician","identifier":{"system":"https://ehr.example/fhir","value":"subject"},"reference"',
    ':"https://ehr.example/fhir/Practitioner/practitioner"}},{"network":{"address":"192.0.2.1","type"',
    ':"2"},"requestor":false,"type":{"coding":[{"code":"DEV","display":"device","system":"http://term',
    'inology.hl7.org/CodeSystem/v3-ParticipationType"}]},"who":{"display":"web browser"}},{"network":',
    '{"address":"smart-chart","type":"5"},"requestor":false,"type":{"coding":[{"code":"110153","displ',
    'ay":"Source Role ID","system":"http://dicom.nema.org/resources/ontology/DCM"}]},"who":{"display"',
    ':"smart-chart","identifier":{"value":"smart-chart"}}},{"network":{"address":"https://ehr.example',
    '/fhir","type":"5"},"requestor":false,"type":{"coding":[{"code":"110152","display":"Destination R',
    'ole ID","system":"http://dicom.nema.org/resources/ontology/DCM"}]},"who":{"identifier":{"system"',
    ':"urn:smart-chart:ehr-registration","value":"ehr"}}},{"requestor":false,"type":{"coding":[{"code',
    '":"110150","display":"Application","system":"http://dicom.nema.org/resources/ontology/DCM"}]},"w',
    'ho":{"identifier":{"value":"smart-chart"}}}],"entity":[{"role":{"code":"1","display":"Patient","',
    'system":"http://terminology.hl7.org/CodeSystem/object-role"},"type":{"code":"1","display":"Perso',
    'n","system":"http://terminology.hl7.org/CodeSystem/audit-entity-type"},"what":{"reference":"http',
    's://ehr.example/fhir/Patient/patient"}},{"query":"T2JzZXJ2YXRpb24/cGF0aWVudD1wYXRpZW50JmNhdGVnb3',
    'J5PXZpdGFsLXNpZ25z","role":{"code":"24","display":"Query","system":"http://terminology.hl7.org/C',
    'odeSystem/object-role"},"type":{"code":"2","display":"System Object","system":"http://terminolog',
    'y.hl7.org/CodeSystem/audit-entity-type"}},{"description":"vitals","detail":[{"type":"resourceTyp',
    'e","valueString":"Observation"}],"type":{"code":"request","display":"What was asked for","system',
    '":"urn:smart-chart:audit-entity"}},{"detail":[{"type":"launch","valueString":"launch"}],"role":{',
    '"code":"13","display":"Security Resource","system":"http://terminology.hl7.org/CodeSystem/object',
    '-role"},"type":{"code":"2","display":"System Object","system":"http://terminology.hl7.org/CodeSy',
    'stem/audit-entity-type"},"what":{"identifier":{"system":"urn:smart-chart:session-hmac","value":"',
    '0000000000000000000000000000000000000000000000000000000000000000"}}},{"type":{"code":"XrequestId',
    '","display":"X-Request-Id","system":"https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEnti',
    'tyType"},"what":{"identifier":{"value":"request"}}}],"outcome":"0","purposeOfEvent":[{"coding":[',
    '{"code":"TREAT","display":"Treatment","system":"http://terminology.hl7.org/CodeSystem/v3-ActReas',
    'on"}]}],"recorded":"2026-01-01T00:00:00.000Z","resourceType":"AuditEvent","source":{"observer":{',
    '"display":"smart-chart","identifier":{"system":"urn:ietf:rfc:3986","value":"smart-chart"}},"site',
    '":"ehr","type":[{"code":"4","display":"Application Server","system":"http://terminology.hl7.org/',
    'CodeSystem/security-source-type"}]},"subtype":[{"code":"search-type","display":"search-type","sy',
    'stem":"http://hl7.org/fhir/restful-interaction"},{"code":"patient-query","system":"urn:smart-cha',
    'rt:audit-action"}],"type":{"code":"rest","display":"Restful Operation","system":"http://terminol',
    'ogy.hl7.org/CodeSystem/audit-event-type"}}{"action":"R","agent":[{"name":"Clinician","policy":["',
    'urn:smart-chart:token-sha256:00000000000000000000000000000000"],"requestor":true,"type":{"coding',
    '":[{"code":"IRCP","display":"information recipient","system":"http://terminology.hl7.org/CodeSys',
    'tem/v3-ParticipationType"}]},"who":{"display":"Clinician","identifier":{"system":"https://ehr.ex',
    'ample/fhir","value":"subject"},"reference":"https://ehr.example/fhir/Practitioner/practitioner"}',
    '},{"network":{"address":"192.0.2.1","type":"2"},"requestor":false,"type":{"coding":[{"code":"DEV',
    '","display":"device","system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType"}]},"w',
    'ho":{"display":"web browser"}},{"network":{"address":"smart-chart","type":"5"},"requestor":false',
    ',"type":{"coding":[{"code":"110152","display":"Destination Role ID","system":"http://dicom.nema.',
    'org/resources/ontology/DCM"}]},"who":{"display":"smart-chart","identifier":{"value":"smart-chart',
    '"}}},{"network":{"address":"https://ehr.example/fhir","type":"5"},"requestor":false,"type":{"cod',
    'ing":[{"code":"110153","display":"Source Role ID","system":"http://dicom.nema.org/resources/onto',
    'logy/DCM"}]},"who":{"identifier":{"system":"urn:smart-chart:ehr-registration","value":"ehr"}}},{',
    '"requestor":false,"type":{"coding":[{"code":"110150","display":"Application","system":"http://di',
    'com.nema.org/resources/ontology/DCM"}]},"who":{"identifier":{"value":"smart-chart"}}}],"entity":',
    '[{"detail":[{"type":"birthDate","valueString":"1970-01-01"}],"role":{"code":"1","display":"Patie',
    'nt","system":"http://terminology.hl7.org/CodeSystem/object-role"},"type":{"code":"1","display":"',
    'Person","system":"http://terminology.hl7.org/CodeSystem/audit-entity-type"},"what":{"display":"F',
    'amily, Given","identifier":{"system":"urn:oid:1.2.3","type":{"coding":[{"code":"MR","system":"ht',
    'tp://terminology.hl7.org/CodeSystem/v2-0203"}]},"value":"MRN"},"reference":"https://ehr.example/',
    'fhir/Patient/patient"}},{"role":{"code":"4","display":"Domain Resource","system":"http://termino',
    'logy.hl7.org/CodeSystem/object-role"},"type":{"code":"2","display":"System Object","system":"htt',
    'p://terminology.hl7.org/CodeSystem/audit-entity-type"},"what":{"reference":"Patient/patient"}},{',
    '"description":"banner","detail":[{"type":"resourceType","valueString":"Patient"}],"type":{"code"',
    ':"request","display":"What was asked for","system":"urn:smart-chart:audit-entity"}},{"detail":[{',
    '"type":"launch","valueString":"launch"}],"role":{"code":"13","display":"Security Resource","syst',
    'em":"http://terminology.hl7.org/CodeSystem/object-role"},"type":{"code":"2","display":"System Ob',
    'ject","system":"http://terminology.hl7.org/CodeSystem/audit-entity-type"},"what":{"identifier":{',
    '"system":"urn:smart-chart:session-hmac","value":"00000000000000000000000000000000000000000000000',
    '00000000000000000"}}},{"type":{"code":"XrequestId","display":"X-Request-Id","system":"https://pr',
    'ofiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType"},"what":{"identifier":{"value":"request',
    '"}}}],"outcome":"0","purposeOfEvent":[{"coding":[{"code":"TREAT","display":"Treatment","system":',
    '"http://terminology.hl7.org/CodeSystem/v3-ActReason"}]}],"recorded":"2026-01-01T00:00:00.000Z","',
    'resourceType":"AuditEvent","source":{"observer":{"display":"smart-chart","identifier":{"system":',
    '"urn:ietf:rfc:3986","value":"smart-chart"}},"site":"ehr","type":[{"code":"4","display":"Applicat',
    'ion Server","system":"http://terminology.hl7.org/CodeSystem/security-source-type"}]},"subtype":[',
    '{"code":"read","display":"read","system":"http://hl7.org/fhir/restful-interaction"},{"code":"pat',
    'ient-read","system":"urn:smart-chart:audit-action"}],"type":{"code":"rest","display":"Restful Op',
    'eration","system":"http://terminology.hl7.org/CodeSystem/audit-event-type"}}',
  ].join(''),
  'utf8',
);

/** SHA-256 of DICTIONARY_2, checked once, as DICTIONARY_1's. */
const DICTIONARY_2_SHA256 = '0ef491a630b5022e07cfd11ac9449b01d429c4a13a1da1193d04410fda963561';

const FORMAT_MARK = 0xff;
const FORMAT_1 = 0x01;
const FORMAT_2 = 0x02;
/** A DEFLATE block header with type 3 (reserved): no raw DEFLATE stream starts with it. */
const isMarked = (body: Uint8Array): boolean => body.length > 0 && ((body[0] as number) & 0b110) === 0b110;

const checked = new Set<number>();
function dictionary(format: typeof FORMAT_1 | typeof FORMAT_2): Buffer {
  const [dict, sha] =
    format === FORMAT_1 ? [DICTIONARY_1, DICTIONARY_1_SHA256] : [DICTIONARY_2, DICTIONARY_2_SHA256];
  if (!checked.has(format)) {
    if (createHash('sha256').update(dict).digest('hex') !== sha)
      throw new Error('an audit payload dictionary was changed: stored events could not be read');
    checked.add(format);
  }
  return dict;
}

/** The sealed plaintext of an event's canonical JSON, in the current format (2). */
export function packEventBody(json: string): Buffer {
  const deflated = deflateRawSync(json, { level: 1, dictionary: dictionary(FORMAT_2) });
  const out = Buffer.allocUnsafe(2 + deflated.length);
  out[0] = FORMAT_MARK;
  out[1] = FORMAT_2;
  deflated.copy(out, 2);
  return out;
}

/** The canonical JSON bytes of a sealed plaintext in any format; throws on an unknown format or bad data. */
export function unpackEventBody(body: Buffer): Buffer {
  if (!isMarked(body)) return inflateRawSync(body);
  const format = body[1];
  if (body[0] !== FORMAT_MARK || (format !== FORMAT_1 && format !== FORMAT_2))
    throw new TypeError('unknown audit payload format');
  return inflateRawSync(body.subarray(2), { dictionary: dictionary(format) });
}
