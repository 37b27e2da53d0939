import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { mapSmokingStatus } from './smoking';

let n = 0;
function answer(
  time: string | undefined,
  value: Observation['valueCodeableConcept'] | string,
  extra: Partial<Observation> = {},
): Observation {
  return {
    resourceType: 'Observation',
    id: `s${++n}`,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '72166-2', display: 'Tobacco smoking status' }] },
    ...(time === undefined ? {} : { effectiveDateTime: time }),
    ...(typeof value === 'string' ? { valueString: value } : { valueCodeableConcept: value }),
    ...extra,
  };
}

const snomed = (code: string, display: string) => ({
  coding: [{ system: 'http://snomed.info/sct', code, display }],
});

describe('mapSmokingStatus', () => {
  it('joins answers repeated at each visit into runs, oldest first, whatever order the EHR sent', () => {
    const m = mapSmokingStatus(
      [
        answer('2019-05-01T10:00:00Z', snomed('8517006', 'Ex-smoker (finding)')),
        answer('2012-03-01T10:00:00Z', snomed('266919005', 'Never smoker')),
        answer('2016-07-01T10:00:00Z', snomed('449868002', 'Smokes tobacco daily (finding)')),
        answer('2014-03-01T10:00:00Z', snomed('266919005', 'Never smoker')),
        answer('2021-05-01T10:00:00Z', snomed('8517006', 'Ex-smoker (finding)')),
        answer('2013-03-01T10:00:00Z', snomed('266919005', 'never smoker')),
      ],
      { deceased: false },
    );
    expect(m).toEqual({
      deceased: false,
      runs: [
        { status: 'Never smoker', first: '2012-03-01T10:00:00Z', last: '2014-03-01T10:00:00Z', count: 3 },
        {
          status: 'Smokes tobacco daily',
          first: '2016-07-01T10:00:00Z',
          last: '2016-07-01T10:00:00Z',
          count: 1,
        },
        { status: 'Ex-smoker', first: '2019-05-01T10:00:00Z', last: '2021-05-01T10:00:00Z', count: 2 },
      ],
    });
  });

  it("reads the EHR's own text first, and an answer sent as text", () => {
    const m = mapSmokingStatus(
      [
        answer('2021-08-05T05:00:00Z', {
          ...snomed('266927001', 'Tobacco smoking consumption unknown'),
          text: 'Never Assessed',
        }),
        answer('2022-01-02', 'Current some day smoker'),
      ],
      { deceased: true },
    );
    expect(m.runs.map((r) => r.status)).toEqual(['Never Assessed', 'Current some day smoker']);
    expect(m.deceased).toBe(true);
  });

  it('leaves out answers withdrawn or not final, other codes, and answers with no time or no value', () => {
    const m = mapSmokingStatus(
      [
        answer('2020-01-01', snomed('8517006', 'Ex-smoker'), { status: 'entered-in-error' }),
        answer('2020-02-01', snomed('8517006', 'Ex-smoker'), { status: 'preliminary' }),
        answer('2020-03-01', snomed('8517006', 'Ex-smoker'), {
          code: {
            coding: [{ system: 'http://loinc.org', code: '11367-0', display: 'History of tobacco use' }],
          },
        }),
        answer(undefined, snomed('8517006', 'Ex-smoker')),
        answer('2020-04-01', { text: ' ' }),
        answer('2020-05-01', snomed('266919005', 'Never smoker'), { status: 'amended' }),
      ],
      { deceased: false },
    );
    expect(m.runs).toEqual([{ status: 'Never smoker', first: '2020-05-01', last: '2020-05-01', count: 1 }]);
  });

  it('has no runs when nothing was recorded', () => {
    expect(mapSmokingStatus([], { deceased: false })).toEqual({ runs: [], deceased: false });
  });
});

describe('the time an answer held', () => {
  it('is the effective time, else the end of its period, else its start, else when it was issued', () => {
    const base = answer(undefined, snomed('8517006', 'Ex-smoker'));
    const times = [
      { ...base, effectiveDateTime: '2020-01-01', issued: '2019-01-01T00:00:00Z' },
      {
        ...base,
        effectivePeriod: { start: '2018-01-01', end: '2021-01-01' },
        issued: '2017-01-01T00:00:00Z',
      },
      { ...base, effectivePeriod: { start: '2016-01-01' } },
      { ...base, issued: '2015-01-01T00:00:00Z' },
    ].map((o) => mapSmokingStatus([o], { deceased: false }).runs[0]?.last);
    expect(times).toEqual(['2020-01-01', '2021-01-01', '2016-01-01', '2015-01-01T00:00:00Z']);
  });
});
