import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCheckpoint } from '@/lib/audit/checkpoint';
import { consistencyProof, leafHash, memorySource, rootOf } from '@/lib/audit/merkle';
import { tempDir } from '@/lib/audit/testing/harness';
import { cosigner, cosignaturesOf, formatVkey, parseVkey } from './cosignature';
import { formatAddCheckpoint, SIZE_CONTENT_TYPE } from './protocol';
import { startWitness, type RunningWitness } from './testing';

const log = generateKeyPairSync('ed25519');
const witnessKey = generateKeyPairSync('ed25519').privateKey;
const leaves = (n: number, salt = 'a') =>
  Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`${salt}${i}`)));
const note = (ls: Buffer[], tenant = 't1', key = log.privateKey) =>
  signCheckpoint({ tenant, size: ls.length, root: rootOf(ls), time: '2026-12-01T00:00:00.000Z' }, key).note;
const proof = (ls: Buffer[], from: number) => consistencyProof(memorySource(ls), from, ls.length);

describe('tlog-witness server', () => {
  let w: RunningWitness;
  const dir = tempDir('witness-');
  const post = (oldSize: number, p: Buffer[], n: string) =>
    fetch(`${w.url}/add-checkpoint`, {
      method: 'POST',
      body: formatAddCheckpoint({ oldSize, proof: p, note: n }),
    });
  beforeAll(async () => {
    w = await startWitness({ dataDir: dir, logKeys: [log.publicKey], privateKey: witnessKey });
  });
  afterAll(async () => {
    await w.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips its vkey', () => {
    expect(parseVkey(formatVkey(w.cosigner)).keyId.equals(w.cosigner.keyId)).toBe(true);
    expect(() => parseVkey(formatVkey(w.cosigner).replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(
      /key id/,
    );
    // Base64 keys may hold '+' themselves.
    let withPlus = '';
    while (!withPlus.split('+').slice(2).join('+').includes('+'))
      withPlus = formatVkey(cosigner('w.test/plus', generateKeyPairSync('ed25519').publicKey));
    expect(formatVkey(parseVkey(withPlus))).toBe(withPlus);
  });

  it('cosigns a first checkpoint and then only checkpoints that extend it', async () => {
    const a = leaves(10);
    const first = await post(0, [], note(a));
    expect(first.status).toBe(200);
    const line = await first.text();
    const cosigned = `${note(a)}${line}`;
    expect(cosignaturesOf(cosigned, [w.cosigner]).valid.has('witness.test/w1')).toBe(true);
    // A cosignature does not transfer to another checkpoint body.
    const other = note(leaves(11));
    expect(cosignaturesOf(`${other}${line}`, [w.cosigner]).valid.size).toBe(0);

    const b = leaves(25);
    const grown = await post(10, await proof(b, 10), note(b));
    expect(grown.status).toBe(200);
  });

  it('refuses a rollback: a shorter log gets 409 with the size it cosigned', async () => {
    const res = await post(0, [], note(leaves(20)));
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toBe(SIZE_CONTENT_TYPE);
    expect(await res.text()).toBe('25\n');
    const smaller = await post(25, [], note(leaves(20)));
    expect(smaller.status).toBe(400);
  });

  it('refuses a fork: a proof that does not extend the cosigned root gets 422, another root at the same size 409', async () => {
    const fork = leaves(30, 'b');
    expect((await post(25, await proof(fork, 25), note(fork))).status).toBe(422);
    expect((await post(25, [], note(leaves(25, 'b')))).status).toBe(409);
    // Still at 25 with the original root: the honest log continues.
    const honest = leaves(30);
    expect((await post(25, await proof(honest, 25), note(honest))).status).toBe(200);
  });

  it('remembers across a restart, from its own data directory', async () => {
    await w.close();
    w = await startWitness({ dataDir: dir, logKeys: [log.publicKey], privateKey: witnessKey });
    const res = await post(0, [], note(leaves(5)));
    expect(res.status).toBe(409);
    expect(await res.text()).toBe('30\n');
  });

  it('answers 403 for an unknown log key, 404 for an unknown origin, 400 for a malformed body', async () => {
    const stranger = generateKeyPairSync('ed25519').privateKey;
    expect((await post(0, [], note(leaves(3), 't2', stranger))).status).toBe(403);
    const foreign = note(leaves(3)).replace('smart-chart-audit/t1', 'example.org/log');
    expect((await post(0, [], foreign)).status).toBe(404);
    const bad = await fetch(`${w.url}/add-checkpoint`, {
      method: 'POST',
      body: `old 01\n\n${note(leaves(3))}`,
    });
    expect(bad.status).toBe(400);
    const junk = await fetch(`${w.url}/add-checkpoint`, {
      method: 'POST',
      body: `old 3\n${randomBytes(8).toString('hex')}\n\n${note(leaves(3))}`,
    });
    expect(junk.status).toBe(400);
  });

  it('serves the latest cosigned checkpoint of a log', async () => {
    const res = await fetch(`${w.url}/latest?origin=${encodeURIComponent('smart-chart-audit/t1')}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.split('\n')[1]).toBe('30');
    expect(cosignaturesOf(text, [w.cosigner]).valid.size).toBe(1);
  });
});
