import { createHash, hash } from 'node:crypto';

/**
 * RFC 6962 / RFC 9162 Merkle tree: leaf H(0x00 || d), node H(0x01 || l || r),
 * inclusion and consistency proofs (RFC 9162 §2.1.3, §2.1.4). Sizes are plain
 * numbers: safe up to 2^53 events per tenant.
 */

export const HASH_BYTES = 32;
const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

// One-shot hashes (no Hash object per call): every append and every check computes these.
export function leafHash(data: Uint8Array): Buffer {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
}

/** Largest power of two strictly less than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPow2(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

function log2(n: number): number {
  let level = 0;
  for (let p = 1; p < n; p *= 2) level++;
  return level;
}
const lsb = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/**
 * The right frontier of a tree: roots of its perfect subtrees, largest first.
 * Appending and computing the root are O(log n); `onNode` sees every perfect
 * subtree completed by an append so a store can keep some of them.
 */
export class CompactRange {
  private constructor(
    private count: number,
    private readonly nodes: Buffer[],
  ) {}

  static empty(): CompactRange {
    return new CompactRange(0, []);
  }

  /** Restores a range from its size and frontier hashes (largest subtree first). */
  static from(size: number, frontier: readonly Buffer[]): CompactRange {
    let bits = 0;
    for (let s = size; s > 0; s = half(s)) if (lsb(s)) bits++;
    if (bits !== frontier.length)
      throw new RangeError(`a tree of size ${size} has ${bits} frontier nodes, got ${frontier.length}`);
    return new CompactRange(size, [...frontier]);
  }

  get size(): number {
    return this.count;
  }

  get frontier(): readonly Buffer[] {
    return this.nodes;
  }

  append(leaf: Buffer, onNode?: (level: number, index: number, hash: Buffer) => void): void {
    let hash = leaf;
    let level = 0;
    let index = this.count;
    // Each trailing one bit of the old size is a perfect subtree that merges with the new one.
    while (lsb(index)) {
      const left = this.nodes.pop();
      if (!left) throw new Error('compact range corrupted');
      hash = nodeHash(left, hash);
      level++;
      index = half(index);
      onNode?.(level, index, hash);
    }
    this.nodes.push(hash);
    this.count++;
  }

  root(): Buffer {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let hash = this.nodes[this.nodes.length - 1] as Buffer;
    for (let i = this.nodes.length - 2; i >= 0; i--) hash = nodeHash(this.nodes[i] as Buffer, hash);
    return hash;
  }

  clone(): CompactRange {
    return new CompactRange(this.count, [...this.nodes]);
  }
}

/** MTH of a list of leaf hashes. */
export function rootOf(leaves: readonly Buffer[]): Buffer {
  const range = CompactRange.empty();
  for (const leaf of leaves) range.append(leaf);
  return range.root();
}

/** Hash of the perfect subtree at `level` covering leaves [index·2^level, (index+1)·2^level). */
export interface HashSource {
  perfect(level: number, index: number): Promise<Buffer>;
}

/** A HashSource over leaf hashes held in memory (tests, verification, small trees). */
export function memorySource(leaves: readonly Buffer[]): HashSource {
  const perfect = (level: number, index: number): Buffer => {
    if (level === 0) {
      const leaf = leaves[index];
      if (!leaf) throw new RangeError(`no leaf ${index}`);
      return leaf;
    }
    return nodeHash(perfect(level - 1, index * 2), perfect(level - 1, index * 2 + 1));
  };
  return { perfect: async (level, index) => perfect(level, index) };
}

/** MTH(D[begin:end]); begin is a multiple of a power of two >= end - begin, as in every RFC 6962 recursion. */
export async function rangeHash(src: HashSource, begin: number, end: number): Promise<Buffer> {
  const n = end - begin;
  if (n <= 0) throw new RangeError('empty range');
  if (isPow2(n) && begin % n === 0) return src.perfect(log2(n), begin / n);
  const k = splitPoint(n);
  return nodeHash(await rangeHash(src, begin, begin + k), await rangeHash(src, begin + k, end));
}

/** RFC 6962 PATH(m, D[n]): audit path for leaf `index` in the tree of `size` leaves. */
export async function inclusionProof(src: HashSource, index: number, size: number): Promise<Buffer[]> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`no leaf ${index} in a tree of ${size}`);
  }
  const path = async (m: number, begin: number, end: number): Promise<Buffer[]> => {
    if (end - begin === 1) return [];
    const k = splitPoint(end - begin);
    return m < begin + k
      ? [...(await path(m, begin, begin + k)), await rangeHash(src, begin + k, end)]
      : [...(await path(m, begin + k, end)), await rangeHash(src, begin, begin + k)];
  };
  return path(index, 0, size);
}

/** RFC 6962 PROOF(m, D[n]): consistency proof between tree sizes `first` and `second`. */
export async function consistencyProof(src: HashSource, first: number, second: number): Promise<Buffer[]> {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) {
    throw new RangeError(`no consistency proof from ${first} to ${second}`);
  }
  if (first === 0 || first === second) return [];
  const sub = async (m: number, begin: number, end: number, complete: boolean): Promise<Buffer[]> => {
    const n = end - begin;
    if (m === n) return complete ? [] : [await rangeHash(src, begin, end)];
    const k = splitPoint(n);
    return m <= k
      ? [...(await sub(m, begin, begin + k, complete)), await rangeHash(src, begin + k, end)]
      : [...(await sub(m - k, begin + k, end, false)), await rangeHash(src, begin, begin + k)];
  };
  return sub(first, 0, second, true);
}

const isHash = (b: unknown): b is Buffer => Buffer.isBuffer(b) && b.length === HASH_BYTES;

/** RFC 9162 §2.1.3.2. False for any malformed input; never throws. */
export function verifyInclusion(
  leaf: Buffer,
  index: number,
  size: number,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isHash(leaf) || !isHash(root) || !Array.isArray(proof) || !proof.every(isHash)) return false;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2. False for any malformed input; never throws. */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (!isHash(firstRoot) || !isHash(secondRoot) || !Array.isArray(proof) || !proof.every(isHash))
    return false;
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second)
    return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0 && firstRoot.equals(EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = isPow2(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Buffer;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}
