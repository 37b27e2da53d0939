import { describe, expect, it } from 'vitest';
import { onRoomAir } from './oxygen';

describe('onRoomAir', () => {
  it('is a flow of nothing at room air, not oxygen by any measure, and not a reading that gives no flow', () => {
    expect(onRoomAir({ flow: 0 })).toBe(true);
    expect(onRoomAir({ flow: 0, concentration: 21 })).toBe(true);
    expect(onRoomAir({ flow: 0, concentration: 40 })).toBe(false);
    expect(onRoomAir({ flow: 2 })).toBe(false);
    expect(onRoomAir({ concentration: 21 })).toBe(false);
  });
});
