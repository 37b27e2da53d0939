import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { cosigner, formatVkey } from '@/lib/witness/cosignature';
import { signCheckpoint } from './checkpoint';
import { collectCosignatures, parseWitnesses, WitnessQuorumError } from './witnesses';

const vkey = (name: string) => formatVkey(cosigner(name, generateKeyPairSync('ed25519').publicKey));

describe('parseWitnesses (AUDIT_WITNESSES)', () => {
  it('reads "<URL> <vkey>" entries and defaults the quorum to all of them', () => {
    const p = parseWitnesses(
      `https://w1.example/ ${vkey('w1.example')}, http://127.0.0.1:4100 ${vkey('local/w')}`,
    );
    expect(p?.quorum).toBe(2);
    expect(p?.witnesses.map((w) => [w.url, w.cosigner.name])).toEqual([
      ['https://w1.example', 'w1.example'],
      ['http://127.0.0.1:4100', 'local/w'],
    ]);
    expect(parseWitnesses(undefined)).toBeUndefined();
  });

  it('says what is wrong with a bad entry or quorum', () => {
    expect(() => parseWitnesses(vkey('w1'))).toThrow(/<http\(s\) URL> <vkey>/);
    expect(() => parseWitnesses(`https://w ${vkey('w1').replace(/\+[0-9a-f]{8}\+/, '+deadbeef+')}`)).toThrow(
      /key id does not match/,
    );
    expect(() => parseWitnesses(`https://w ${vkey('w1')}`, 2)).toThrow(/quorum must be 1\.\.1/);
  });
});

describe('collectCosignatures', () => {
  it('does not count an answer that is not a cosignature by the configured key', async () => {
    const impostor = generateKeyPairSync('ed25519').privateKey;
    const server = createServer((_req, res) => {
      res.end(`\u2014 w1 ${Buffer.alloc(76, 1).toString('base64')}\n`);
    });
    await new Promise<void>((r) => server.listen(4990, '127.0.0.1', r));
    try {
      const policy = parseWitnesses(`http://127.0.0.1:4990 ${vkey('w1')}`);
      const signed = signCheckpoint(
        { tenant: 't', size: 1, root: Buffer.alloc(32), time: '2026-12-01T00:00:00.000Z' },
        impostor,
      );
      const result = collectCosignatures(policy!, signed, new Map(), async () => []);
      await expect(result).rejects.toThrow(WitnessQuorumError);
      await expect(result).rejects.toThrow(/w1: the answer is not a valid cosignature by its key/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('sends a submission again when the witness closed the connection under it, and only then', async () => {
    const impostor = generateKeyPairSync('ed25519').privateKey;
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      // The first request meets a connection closed as it arrives (an idle one the witness let go).
      if (requests === 1) return req.socket.destroy();
      res.end(`\u2014 w1 ${Buffer.alloc(76, 1).toString('base64')}\n`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as { port: number };
      const policy = parseWitnesses(`http://127.0.0.1:${port} ${vkey('w1')}`);
      const signed = signCheckpoint(
        { tenant: 't', size: 1, root: Buffer.alloc(32), time: '2026-12-01T00:00:00.000Z' },
        impostor,
      );
      // The second sending got an answer (here not a cosignature by w1's key): the close was not the outcome.
      await expect(collectCosignatures(policy!, signed, new Map(), async () => [])).rejects.toThrow(
        /w1: the answer is not a valid cosignature by its key/,
      );
      expect(requests).toBe(2);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
