import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, verifyPassword } from './password';

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('console password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    expect(stored.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('salts each hash', async () => {
    expect(await hashPassword('same', FAST)).not.toBe(await hashPassword('same', FAST));
  });

  it('uses the production cost by default', async () => {
    const stored = await hashPassword('x');
    expect(stored.split('$').slice(1, 4)).toEqual(['16384', '8', '5']);
    expect(await verifyPassword('x', stored)).toBe(true);
    expect(await verifyPassword('y', stored)).toBe(false);
  });

  it('still verifies a hash stored at the earlier cost, N = 2^17', async () => {
    // Made by the previous release (and checked against Python's hashlib.scrypt): a stored hash names its own cost.
    const stored = 'scrypt$131072$8$1$4Ib8oOcimuWgzEdtDLEjtQ$UK20xdDT38qp1hSDKShB7QrUvmDnJ8bHYgKu2xU2JhE';
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('still verifies hashes made at the earlier costs', async () => {
    for (const cost of [
      { N: 2 ** 17, r: 8, p: 1 },
      { N: 2 ** 15, r: 8, p: 1 },
    ]) {
      const earlier = await hashPassword('x', cost);
      expect(earlier.split('$').slice(1, 4)).toEqual([String(cost.N), '8', '1']);
      expect(await verifyPassword('x', earlier)).toBe(true);
      expect(await verifyPassword('y', earlier)).toBe(false);
    }
  });

  it('never matches a malformed stored value', async () => {
    for (const bad of [
      '',
      'plain',
      'scrypt$0$8$1$AA$AA',
      'bcrypt$10$8$1$AA$AA',
      'scrypt$1024$8$1$AAAA$AAAA',
    ]) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });

  it('generates long random passwords', () => {
    const a = generatePassword();
    expect(a).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(generatePassword()).not.toBe(a);
  });
});
