import type { AuditEvent } from '@medplum/fhirtypes';
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
});
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
    expect(lines).toHaveLength(7);
    expect(done).toBe(7);
    const checks = lines.map(checkExportedLine);
    expect(checks.every((c) => c.ok)).toBe(true);
    expect(checks.map((c) => `${c.tenant}/${c.seq}`).sort()).toEqual([
      'sandbox-epic/0',
      'sandbox-epic/1',
      'sandbox-epic/2',
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
