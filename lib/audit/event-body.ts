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
 * The first byte tells them apart: raw DEFLATE never starts with block type
 * 3 (reserved), and 0xff has that type. The dictionary can never change;
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

const FORMAT_MARK = 0xff;
const FORMAT_1 = 0x01;
/** A DEFLATE block header with type 3 (reserved): no raw DEFLATE stream starts with it. */
const isMarked = (body: Uint8Array): boolean => body.length > 0 && ((body[0] as number) & 0b110) === 0b110;

let dictionaryChecked = false;
function dictionary(): Buffer {
  if (!dictionaryChecked) {
    if (createHash('sha256').update(DICTIONARY_1).digest('hex') !== DICTIONARY_1_SHA256)
      throw new Error('the audit payload dictionary was changed: stored events could not be read');
    dictionaryChecked = true;
  }
  return DICTIONARY_1;
}

/** The sealed plaintext of an event's canonical JSON, in the current format (1). */
export function packEventBody(json: string): Buffer {
  const deflated = deflateRawSync(json, { level: 1, dictionary: dictionary() });
  const out = Buffer.allocUnsafe(2 + deflated.length);
  out[0] = FORMAT_MARK;
  out[1] = FORMAT_1;
  deflated.copy(out, 2);
  return out;
}

/** The canonical JSON bytes of a sealed plaintext in any format; throws on an unknown format or bad data. */
export function unpackEventBody(body: Buffer): Buffer {
  if (!isMarked(body)) return inflateRawSync(body);
  if (body[0] !== FORMAT_MARK || body[1] !== FORMAT_1) throw new TypeError('unknown audit payload format');
  return inflateRawSync(body.subarray(2), { dictionary: dictionary() });
}
