import { createHash, generateKeyPairSync } from 'node:crypto';
import type { AuditEvent } from '@medplum/fhirtypes';
import { commitTo } from '../audit/commitment';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExportedLine } from './export-check';
import { csvField } from './export-format';
import { exportStream } from './export-stream';
import { tempAuditLog } from './testing';

let ctx: Awaited<ReturnType<typeof tempAuditLog>>;
const EHR = 'https://ehr.example/fhir';

beforeAll(async () => {
  ctx = await tempAuditLog();
  await ctx.log.store.append(
    Array.from({ length: 7 }, (_, i) => ({
      action: 'patient-query' as const,
      outcome: '0' as const,
      tenant: i % 2 ? 'sandbox-epic' : 'sandbox-generic',
      user: `${EHR}/Practitioner/dr`,
      patient: `${EHR}/Patient/p${i}`,
      query: `Observation?patient=p${i}&category=laboratory`,
      detail: i === 2 ? '=HYPERLINK("http://evil")' : undefined,
      resourceTypes: ['Observation'],
      recorded: new Date(Date.UTC(2025, 0, 1, 0, i)),
    })),
  );
  // Signed before the last event, so the export meets one event no checkpoint covers yet.
  await ctx.log.store.checkpoint('sandbox-epic');
  await ctx.log.store.checkpoint('sandbox-generic');
  await ctx.log.store.append([
    {
      action: 'patient-read',
      outcome: '0',
      tenant: 'sandbox-epic',
      user: `${EHR}/Practitioner/dr`,
      patient: `${EHR}/Patient/p7`,
      resourceTypes: ['Patient'],
      recorded: new Date(Date.UTC(2025, 0, 1, 0, 7)),
    },
  ]);
});

const logKeys = () => [ctx.log.store.publicKey];
const chainPart = (event: AuditEvent, name: string) =>
  event.extension
    ?.find((x) => x.url === 'urn:smart-chart:audit-chain')
    ?.extension?.find((x) => x.url === name);
afterAll(() => ctx.dispose());

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('audit export', () => {
  it('streams NDJSON across pages: every line an AuditEvent whose leaf hash verifies', async () => {
    let done = -1;
    const text = await readAll(
      exportStream(ctx.log.store, {}, 'ndjson', { pageSize: 2, onDone: (n) => (done = n) }),
    );
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(done).toBe(8);
    const checks = lines.map((l) => checkExportedLine(l, { logKeys: logKeys() }));
    expect(checks.every((c) => c.ok)).toBe(true);
    // Each line proves itself in its chain's signed tree, but the one signed after the export's checkpoint.
    expect(checks.map((c) => `${c.tenant}/${c.seq} ${c.inclusion}`).sort()).toEqual([
      'sandbox-epic/0 proven',
      'sandbox-epic/1 proven',
      'sandbox-epic/2 proven',
      'sandbox-epic/3 absent',
      'sandbox-generic/0 proven',
      'sandbox-generic/1 proven',
      'sandbox-generic/2 proven',
      'sandbox-generic/3 proven',
    ]);
    // Without the log's key the proof is followed to the checkpoint's root, which is not yet trusted.
    expect(checkExportedLine(lines.at(-1)!).inclusion).toBe('unverified');
    expect(checks.map((c) => `${c.tenant}/${c.seq}`).sort()).toEqual([
      'sandbox-epic/0',
      'sandbox-epic/1',
      'sandbox-epic/2',
      'sandbox-epic/3',
      'sandbox-generic/0',
      'sandbox-generic/1',
      'sandbox-generic/2',
      'sandbox-generic/3',
    ]);
    // The leaf hash in each line is the one the store proves inclusion for.
    const first = JSON.parse(lines[0]!) as AuditEvent;
    const chain = first.extension?.find((x) => x.url === 'urn:smart-chart:audit-chain')?.extension ?? [];
    const part = (name: string) => chain.find((x) => x.url === name);
    const seq = part('seq')?.valueInteger ?? -1;
    const proof = await ctx.log.store.proveInclusion(part('tenant')?.valueString ?? '', seq, seq + 1);
    expect(part('leafHash')?.valueString).toBe(proof.leafHash);
  });

  it('detects a line whose event or record was altered', async () => {
    const line = (await readAll(exportStream(ctx.log.store, { tenant: 'sandbox-epic' }, 'ndjson'))).split(
      '\n',
    )[0]!;
    expect(checkExportedLine(line.replace('"outcome":"0"', '"outcome":"8"')).problems).toContain(
      'record outcome differs from the event',
    );
    const event = JSON.parse(line) as AuditEvent;
    const rec = event.extension?.[0]?.extension?.find((x) => x.url === 'record');
    if (!rec) throw new Error('no record in the export line');
    const bytes = Buffer.from(rec.valueBase64Binary ?? '', 'base64')
      .toString('utf8')
      .replace('"seq":', '"seq": ');
    rec.valueBase64Binary = Buffer.from(bytes).toString('base64');
    expect(checkExportedLine(JSON.stringify(event)).problems).toContain(
      'leaf hash does not match the record',
    );
    expect(checkExportedLine('not json').ok).toBe(false);
  });

  it('refuses a line rewritten with every hash computed again: its record is not in the signed tree', async () => {
    const text = await readAll(exportStream(ctx.log.store, { tenant: 'sandbox-generic' }, 'ndjson'));
    const line = text.split('\n').find((l) => l.includes('"valueInteger":1'))!;
    expect(checkExportedLine(line, { logKeys: logKeys() })).toMatchObject({ ok: true, inclusion: 'proven' });
    // Another patient, and the record's commitment and leaf hash made to agree with it again.
    const event = JSON.parse(line.replaceAll('Patient/p2', 'Patient/someone-else')) as AuditEvent;
    const salt = chainPart(event, 'salt')!.valueString!;
    const record = chainPart(event, 'record')!;
    const r = JSON.parse(Buffer.from(record.valueBase64Binary!, 'base64').toString('utf8')) as Record<
      string,
      unknown
    >;
    const { id: _id, extension, ...recorded } = event;
    const others = (extension ?? []).filter((x) => x.url !== 'urn:smart-chart:audit-chain');
    r.payloadCommitment = commitTo(salt, others.length > 0 ? { ...recorded, extension: others } : recorded);
    const bytes = Buffer.from(JSON.stringify(r));
    record.valueBase64Binary = bytes.toString('base64');
    chainPart(event, 'leafHash')!.valueString = createHash('sha256')
      .update(Buffer.from([0]))
      .update(bytes)
      .digest('hex');
    const forged = checkExportedLine(JSON.stringify(event), { logKeys: logKeys() });
    expect(forged.ok).toBe(false);
    expect(forged.problems).toEqual([
      expect.stringMatching(/^the record is not in the tree of the checkpoint/),
    ]);
    // Nor does a checkpoint signed by another key pass.
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(checkExportedLine(line, { logKeys: [other] }).problems).toContain(
      'the checkpoint is not signed by the log’s key',
    );
  });

  it('streams CSV with a header, one row per event, and no runnable formulas', async () => {
    const text = await readAll(
      exportStream(ctx.log.store, { tenant: 'sandbox-generic' }, 'csv', { pageSize: 3 }),
    );
    const rows = text.split('\r\n').filter(Boolean);
    expect(rows[0]).toBe(
      'recorded,tenant,seq,action,outcome,outcomeDesc,user,patient,resourceTypes,detail,query,sourceIp,leafHash',
    );
    expect(rows).toHaveLength(5);
    expect(rows[1]).toContain('2025-01-01T00:06:00.000Z,sandbox-generic,3,patient-query,0,');
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain('Observation?patient=p6&category=laboratory');
  });

  it('quotes CSV fields per RFC 4180', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(-1)).toBe('-1');
  });
});
