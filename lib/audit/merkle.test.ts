import { describe, expect, it } from 'vitest';
import {
  CompactRange,
  EMPTY_ROOT,
  consistencyProof,
  inclusionProof,
  leafHash,
  memorySource,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

// RFC 6962 reference data as published with the Certificate Transparency code
// (google/certificate-transparency-go, transparency-dev/merkle testonly).
const hex = (b: Buffer): string => b.toString('hex');
const unhex = (s: string): Buffer => Buffer.from(s, 'hex');
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((d) => leafHash(unhex(d)));
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CT_CONSISTENCY = [
  { first: 1, second: 1, proof: [] },
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const src = memorySource(CT_LEAVES);
const root = (n: number): Buffer => unhex(CT_ROOTS[n]!);

describe('RFC 6962 Merkle tree against the CT test vectors', () => {
  it('computes the published root for every size 0..8, incrementally and at once', () => {
    const range = CompactRange.empty();
    expect(hex(range.root())).toBe(CT_ROOTS[0]);
    for (let n = 1; n <= 8; n++) {
      range.append(CT_LEAVES[n - 1]!);
      expect(hex(range.root())).toBe(CT_ROOTS[n]);
      expect(hex(rootOf(CT_LEAVES.slice(0, n)))).toBe(CT_ROOTS[n]);
    }
    expect(EMPTY_ROOT.equals(root(0))).toBe(true);
  });

  it.each(CT_INCLUSION)('inclusion path for leaf $index of $size', async ({ index, size, proof }) => {
    expect((await inclusionProof(src, index, size)).map(hex)).toEqual(proof);
    expect(verifyInclusion(CT_LEAVES[index]!, index, size, proof.map(unhex), root(size))).toBe(true);
  });

  it.each(CT_CONSISTENCY)('consistency path $first -> $second', async ({ first, second, proof }) => {
    expect((await consistencyProof(src, first, second)).map(hex)).toEqual(proof);
    expect(verifyConsistency(first, second, root(first), root(second), proof.map(unhex))).toBe(true);
  });
});

describe('proofs over every shape of tree', () => {
  const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`event-${i}`)));
  const many = memorySource(leaves);
  const roots = Array.from({ length: leaves.length + 1 }, (_, n) => rootOf(leaves.slice(0, n)));
  const flip = (proof: Buffer[], at: number): Buffer[] =>
    proof.map((p, i) => (i === at ? Buffer.from(p.map((b, j) => (j === 7 ? b ^ 1 : b))) : p));

  it('accepts every honest inclusion proof and rejects corrupted ones', async () => {
    for (let n = 1; n <= leaves.length; n++) {
      for (let i = 0; i < n; i++) {
        const proof = await inclusionProof(many, i, n);
        const leaf = leaves[i]!;
        expect(verifyInclusion(leaf, i, n, proof, roots[n]!)).toBe(true);
        if (n > 1) {
          expect(verifyInclusion(leaf, (i + 1) % n, n, proof, roots[n]!)).toBe(false); // wrong index
          // The size is bound by the signed checkpoint; a proof read against a tree twice as large fails.
          expect(verifyInclusion(leaf, i, n * 2, proof, roots[n]!)).toBe(false); // wrong size
          expect(verifyInclusion(leaf, i, n, flip(proof, 0), roots[n]!)).toBe(false); // flipped bit
          expect(verifyInclusion(leaf, i, n, proof.slice(1), roots[n]!)).toBe(false); // hash removed
          expect(verifyInclusion(leaf, i, n, [...proof, leaf], roots[n]!)).toBe(false); // hash added
        }
        expect(verifyInclusion(leaf, i, n, proof, roots[n - 1]!)).toBe(false); // wrong root
      }
    }
  });

  it('accepts every honest consistency proof and rejects corrupted ones', async () => {
    for (let n = 1; n <= leaves.length; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = await consistencyProof(many, m, n);
        expect(verifyConsistency(m, n, roots[m]!, roots[n]!, proof)).toBe(true);
        if (m > 0 && m < n) {
          expect(verifyConsistency(m, n, roots[m]!, roots[n]!, flip(proof, 0))).toBe(false);
          expect(verifyConsistency(m, n, roots[m]!, roots[n]!, proof.slice(0, -1))).toBe(false);
          expect(verifyConsistency(m, n, roots[m]!, roots[n]!, [...proof, roots[m]!])).toBe(false);
          expect(verifyConsistency(m - 1, n, roots[m]!, roots[n]!, proof)).toBe(false);
          expect(verifyConsistency(m, n, roots[m]!, roots[n - 1]!, proof)).toBe(false);
          // A different history of the same size (split view) is not consistent.
          const other = rootOf([...leaves.slice(0, m - 1), leafHash(Buffer.from('forged'))]);
          expect(verifyConsistency(m, n, other, roots[n]!, proof)).toBe(false);
        }
      }
    }
  });

  it('refuses to build proofs outside the tree', async () => {
    await expect(inclusionProof(many, 5, 5)).rejects.toThrow(RangeError);
    await expect(consistencyProof(many, 6, 5)).rejects.toThrow(RangeError);
    expect(verifyInclusion(Buffer.alloc(31), 0, 1, [], Buffer.alloc(32))).toBe(false);
  });

  it('reports every completed perfect subtree while appending', () => {
    const seen: string[] = [];
    const range = CompactRange.empty();
    for (const leaf of leaves.slice(0, 8))
      range.append(leaf, (level, index) => seen.push(`${level}:${index}`));
    expect(seen).toEqual(['1:0', '1:1', '2:0', '1:2', '1:3', '2:1', '3:0']);
    expect(CompactRange.from(range.size, range.frontier).root().equals(roots[8]!)).toBe(true);
    expect(() => CompactRange.from(7, range.frontier)).toThrow(RangeError);
  });
});
