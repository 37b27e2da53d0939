import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acceptNewerCheckpoint, openCheckpoint, signCheckpoint } from './checkpoint';
import { consistencyProof, leafHash, memorySource, rootOf } from './merkle';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const leaves = Array.from({ length: 12 }, (_, i) => leafHash(Buffer.from(`e${i}`)));
const cp = (size: number, ls = leaves) => ({
  tenant: 'epic',
  size,
  root: rootOf(ls.slice(0, size)),
  time: '2026-01-01T00:00:00.000Z',
});

describe('signed checkpoints', () => {
  it('round-trips a signed note and rejects any change', () => {
    const signed = signCheckpoint(cp(7), privateKey);
    expect(signed.note).toMatch(
      /^smart-chart-audit\/epic\n7\n[A-Za-z0-9+/=]{44}\ntime 2026-01-01T00:00:00.000Z\n\n\u2014 smart-chart-audit \S+\n$/,
    );
    expect(openCheckpoint(signed.note, publicKey)).toMatchObject({ tenant: 'epic', size: 7 });
    expect(openCheckpoint(signed.note, other.publicKey)).toBeUndefined();
    expect(openCheckpoint(signed.note.replace('\n7\n', '\n8\n'), publicKey)).toBeUndefined();
    expect(openCheckpoint(signed.note.replace('epic', 'epik'), publicKey)).toBeUndefined();
    expect(openCheckpoint(signed.note.replace('2026', '2027'), publicKey)).toBeUndefined();
    expect(openCheckpoint('garbage', publicKey)).toBeUndefined();
  });

  it('accepts a consistent newer checkpoint and rejects a split view', async () => {
    const trusted = cp(5);
    const honest = signCheckpoint(cp(12), privateKey);
    const proof = await consistencyProof(memorySource(leaves), 5, 12);
    expect(acceptNewerCheckpoint(trusted, honest.note, proof, publicKey).size).toBe(12);

    // Another history: same first four events, a different fifth one.
    const forked = [...leaves.slice(0, 4), leafHash(Buffer.from('rewritten')), ...leaves.slice(5)];
    const fork = signCheckpoint(cp(12, forked), privateKey);
    const forkProof = await consistencyProof(memorySource(forked), 5, 12);
    expect(() => acceptNewerCheckpoint(trusted, fork.note, forkProof, publicKey)).toThrow(/not consistent/);
    expect(() => acceptNewerCheckpoint(trusted, fork.note, proof, publicKey)).toThrow(/not consistent/);
    expect(() =>
      acceptNewerCheckpoint(cp(12), signCheckpoint(cp(5), privateKey).note, [], publicKey),
    ).toThrow(/shrank/);
    expect(() =>
      acceptNewerCheckpoint(trusted, signCheckpoint(cp(12), other.privateKey).note, proof, publicKey),
    ).toThrow(/signature/);
  });
});
