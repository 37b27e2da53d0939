import { describe, expect, it } from 'vitest';
import type { SandboxDirectory } from '../contract';
import { parseLaunchRequest } from './launch-request';

const directory: SandboxDirectory = {
  patients: [
    { id: 'p-1', name: 'Ada Test', birthDate: '1970-01-01', gender: 'female', description: 'adult' },
  ],
  practitioners: [{ id: 'dr-1', name: 'Dr One' }],
};

describe('parseLaunchRequest', () => {
  it('builds a clinician launch context', () => {
    const result = parseLaunchRequest(
      {
        practitioner: 'dr-1',
        patient: 'p-1',
        personality: 'cerner',
        banner: '1',
        frame: '1',
        faults: '{"kind":"status-500","count":1}',
      },
      directory,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        frame: true,
        context: {
          user: 'Practitioner/dr-1',
          patient: 'p-1',
          personality: 'cerner',
          needPatientBanner: true,
          faults: [{ kind: 'status-500', count: 1 }],
        },
      },
    });
  });

  it('defaults to the generic personality, no frame and no banner', () => {
    const result = parseLaunchRequest({ practitioner: 'dr-1', patient: 'p-1', encounter: '' }, directory);
    expect(result.ok && result.value).toEqual({
      frame: false,
      context: {
        user: 'Practitioner/dr-1',
        patient: 'p-1',
        personality: 'generic',
        needPatientBanner: false,
      },
    });
  });

  it('refuses unknown people, personalities and bad faults', () => {
    expect(parseLaunchRequest({ practitioner: 'dr-2', patient: 'p-1' }, directory)).toEqual({
      ok: false,
      error: 'practitioner: unknown',
    });
    expect(parseLaunchRequest({ practitioner: 'dr-1', patient: 'p-9' }, directory)).toEqual({
      ok: false,
      error: 'patient: unknown',
    });
    expect(
      parseLaunchRequest({ practitioner: 'dr-1', patient: 'p-1', personality: 'meditech' }, directory).ok,
    ).toBe(false);
    expect(parseLaunchRequest({ practitioner: 'dr-1', patient: 'p-1', faults: 'nope' }, directory).ok).toBe(
      false,
    );
    expect(parseLaunchRequest({ practitioner: '../x', patient: 'p-1' }, directory).ok).toBe(false);
  });
});
