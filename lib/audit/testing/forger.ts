import { createHash, randomBytes } from 'node:crypto';
import { buildRecord, submitBatch, UNKNOWN_HEAD, type BuiltEvent } from '../append-batch';
import type { AuditEvent } from '@medplum/fhirtypes';
import { canonicalBytes, canonicalJson, parseRecord, type AuditRecord } from '../canonical';
import { decryptEventBody, encryptEventBody, eventBodyAad, recordAad, type AuditKeys } from '../crypto';
import { packEventBody, unpackEventBody } from '../event-body';
import type { AuditInput } from '../types';
import { toBuffer, type SqlDriver } from '../driver';
import { leafHash } from '../merkle';

/**
 * Test-only: what a compromised app login (no keys) can try. It can build
 * well-formed records that chain and hash correctly and append them through
 * the same database function the app uses, but it cannot seal a payload that
 * decrypts under the tenant's key, nor sign a checkpoint.
 */

export interface ForgeOptions {
  /** The sealed bytes of each forged event (default random bytes). */
  readonly sealed?: (seq: number) => Buffer;
  /** Changes to the record copied from the last real event. */
  readonly change?: Partial<AuditRecord>;
}

/** Appends `n` forged events after the head, with columns copied from the last real one; returns the first seq. */
export async function forgeTail(
  app: SqlDriver,
  tenant: string,
  n: number,
  o: ForgeOptions = {},
): Promise<number> {
  const { head } = await submitBatch(app, tenant, UNKNOWN_HEAD, []);
  const model = (
    await app.query(`SELECT canonical FROM audit.events WHERE tenant = $1 AND seq = $2`, [
      tenant,
      head.size - 1,
    ])
  )[0];
  if (!model) throw new Error('nothing to copy');
  const base = parseRecord(toBuffer(model.canonical));
  let prev = head.lastLeaf.toString('hex');
  const built: BuiltEvent[] = [];
  for (let i = 0; i < n; i++) {
    const seq = head.size + i;
    const sealed = o.sealed?.(seq) ?? randomBytes(200);
    const record: AuditRecord = {
      ...base,
      ...o.change,
      seq,
      prev,
      recorded: new Date().toISOString(),
      sealedSha256: createHash('sha256').update(sealed).digest('hex'),
    };
    const bytes = canonicalBytes(record);
    const leaf = leafHash(bytes);
    built.push({ record, bytes, leaf, sealed });
    prev = leaf.toString('hex');
  }
  const result = await submitBatch(app, tenant, head, built);
  if (!result.committed) throw new Error('the head moved while forging');
  return head.size;
}

/** Inserts copies of the note signed at `size` under every tree size in (size, upTo], as `db` can. */
export async function poisonCheckpoints(
  db: SqlDriver,
  tenant: string,
  size: number,
  upTo: number,
): Promise<void> {
  const row = (
    await db.query(
      `SELECT root, signed_at, note FROM audit.checkpoints WHERE tenant = $1 AND tree_size = $2`,
      [tenant, size],
    )
  )[0];
  if (!row) throw new Error(`no checkpoint at ${size}`);
  for (let s = size + 1; s <= upTo; s++)
    await db.query(
      `INSERT INTO audit.checkpoints (tenant, tree_size, root, signed_at, note) VALUES ($1, $2, $3, $4, $5)`,
      [tenant, s, row.root, row.signed_at, row.note],
    );
}

/**
 * Test-only: appends events to an empty log as the release before record format 3 wrote them (format 2: each
 * payload sealed with its tenant and sequence number alone), through the same database function.
 */
export async function appendAsFormat2(
  app: SqlDriver,
  keys: AuditKeys,
  tenant: string,
  inputs: readonly AuditInput[],
): Promise<void> {
  const { head } = await submitBatch(app, tenant, UNKNOWN_HEAD, []);
  if (head.size !== 0) throw new Error('format 2 events are written to an empty log here');
  let prev = head.lastLeaf;
  const built = inputs.map((input, seq) => {
    const current = buildRecord(input, seq, prev, keys, 'https://app.example');
    const packed = decryptEventBody(keys.encryptionKey, current.sealed, recordAad(current.record));
    const sealed = encryptEventBody(keys.encryptionKey, packed, eventBodyAad(tenant, seq));
    const record: AuditRecord = {
      ...current.record,
      v: 2,
      sealedSha256: createHash('sha256').update(sealed).digest('hex'),
    };
    const bytes = canonicalBytes(record);
    const leaf = leafHash(bytes);
    prev = leaf;
    return { record, bytes, leaf, sealed };
  });
  const result = await submitBatch(app, tenant, head, built);
  if (!result.committed) throw new Error('the head moved while appending');
}

/**
 * Test-only: what a bug in the writer could store. The event's payload is changed by `change` and sealed again with
 * its unchanged record as associated data, as only a holder of the encryption key can: it opens with its record,
 * but no longer says what the record says.
 */
export function sealedByMistake(
  keys: AuditKeys,
  built: BuiltEvent,
  change: (event: AuditEvent) => void,
): BuiltEvent {
  const packed = decryptEventBody(keys.encryptionKey, built.sealed, recordAad(built.record));
  const event = JSON.parse(unpackEventBody(packed).toString('utf8')) as AuditEvent;
  change(event);
  const sealed = encryptEventBody(
    keys.encryptionKey,
    packEventBody(canonicalJson(event)),
    recordAad(built.record),
  );
  const record: AuditRecord = {
    ...built.record,
    sealedSha256: createHash('sha256').update(sealed).digest('hex'),
  };
  const bytes = canonicalBytes(record);
  return { record, bytes, leaf: leafHash(bytes), sealed };
}

/** sealedByMistake's usual change: the payload names another user than its record. */
export function anotherUser(event: AuditEvent): void {
  const requestor = event.agent?.find((a) => a.requestor);
  if (!requestor?.who) throw new Error('the event names no user');
  requestor.who.reference = 'https://ehr.example/fhir/Practitioner/someone-else';
}
