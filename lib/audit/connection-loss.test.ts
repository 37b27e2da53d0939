import { describe, expect, it } from 'vitest';
import { isConnectionLoss, retryOnConnectionLoss } from './connection-loss';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('connection loss', () => {
  it('is a lost or refused connection, a shutdown or a read-only server, not a refused statement', () => {
    for (const code of ['57P01', '57P03', '08006', 'ECONNRESET', 'ECONNREFUSED', '25006'])
      expect(isConnectionLoss(withCode(code)), code).toBe(true);
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
    for (const code of ['23505', '40001', '42501'])
      expect(isConnectionLoss(withCode(code)), code).toBe(false);
    expect(isConnectionLoss(new Error('syntax error'))).toBe(false);
    expect(isConnectionLoss('57P01')).toBe(false);
  });

  it('runs the work once more after a loss, with the retry variant when given, and only once', async () => {
    let runs = 0;
    const flaky = async () => {
      runs += 1;
      throw withCode('57P01');
    };
    await expect(retryOnConnectionLoss(flaky, { delayMs: 1 })).rejects.toMatchObject({ code: '57P01' });
    expect(runs).toBe(2);
    expect(
      await retryOnConnectionLoss(flaky, { delayMs: 1, retryWork: () => Promise.resolve('second') }),
    ).toBe('second');
    runs = 0;
    await expect(
      retryOnConnectionLoss(async () => {
        runs += 1;
        throw withCode('23505');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(runs).toBe(1);
  });
});
