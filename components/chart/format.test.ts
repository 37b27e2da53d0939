import { describe, expect, it } from 'vitest';
import {
  ageOn,
  calendarDay,
  formatBloodPressure,
  formatDate,
  formatDateTime,
  formatQuantity,
  formatValue,
  isStale,
  toTime,
  unitLabel,
  zoneSentence,
} from './format';

describe('formatDate', () => {
  it('keeps a date-only value on its calendar day whatever the time zone', () => {
    expect(formatDate('1970-05-12')).toBe('May 12, 1970');
    expect(formatDate('1970-05')).toBe('May 1970');
    expect(formatDate('1970')).toBe('1970');
  });
  it('shows a dash for a missing date and the raw text for an unreadable one', () => {
    expect(formatDate(undefined)).toBe('—');
    expect(formatDate('not a date')).toBe('not a date');
    // An EHR's words for a date (a Condition's onsetString) are shown as written, never made the first of January.
    expect(formatDate('approx. 2012')).toBe('approx. 2012');
    expect(formatDate('Spring 2019')).toBe('Spring 2019');
    expect(formatDateTime('since 2015')).toBe('since 2015');
  });
});

describe('units and quantities', () => {
  it('renders UCUM codes as clinicians write them', () => {
    expect(unitLabel('mm[Hg]')).toBe('mmHg');
    expect(unitLabel('[lb_av]')).toBe('lb');
    expect(unitLabel('mg/dL')).toBe('mg/dL');
  });
  it('writes units outside the table in human form too', () => {
    expect(unitLabel('m[IU]/L')).toBe('mIU/L');
    expect(unitLabel('u[IU]/mL')).toBe('µIU/mL');
    expect(unitLabel('10*9/L')).toBe('×10⁹/L');
    expect(unitLabel('10*3/mm3')).toBe('×10³/mm3');
    expect(unitLabel('umol/L')).toBe('µmol/L');
    expect(unitLabel('mL/min/{1.73_m2}')).toBe('mL/min/1.73 m²');
    // Per body surface as EHRs spell it outside UCUM: athenahealth leaves out the m².
    expect(unitLabel('mL/min/1.73')).toBe('mL/min/1.73 m²');
    expect(unitLabel('mL/min/1.73m2')).toBe('mL/min/1.73 m²');
    expect(unitLabel('mL/min/1.73 sq m')).toBe('mL/min/1.73 m²');
    expect(unitLabel('mL/min/1.730')).toBe('mL/min/1.730');
    expect(unitLabel('{cells}/uL')).toBe('cells/µL');
    expect(unitLabel('{copies}/mL')).toBe('copies/mL');
    expect(unitLabel('mmol/mol')).toBe('mmol/mol');
    expect(formatQuantity(2.43, 'm[IU]/L', { loinc: '3016-3' })).toBe('2.43 mIU/L');
  });
  it('shows a converted temperature to a tenth, as whole °F are steps of 0.56 °C', () => {
    const original = { value: 97, unit: '[degF]' };
    expect(formatQuantity(36.1111, 'Cel', { loinc: '8310-5', original })).toBe('36.1 °C');
  });
  it('rounds to clinical precision and keeps integers whole', () => {
    expect(formatQuantity(82.55399999, 'kg')).toBe('82.6 kg');
    expect(formatQuantity(142, 'mm[Hg]')).toBe('142 mmHg');
    // A 0–10 pain rating is whole points, and its unit says nothing a reader needs.
    expect(formatQuantity(2.7381, '{score}', { loinc: '72514-3' })).toBe('3');
    // Urine pH: the name says pH, the value does not say it again (UCUM [pH], and as Synthea writes it).
    expect(formatQuantity(6.3, '[pH]', { loinc: '5803-2' })).toBe('6.3');
    expect(formatQuantity(6.3, 'pH', { loinc: '5803-2' })).toBe('6.3');
    expect(formatQuantity(1.2345, 'mg/dL', { loinc: '2160-0' })).toBe('1.23 mg/dL');
    expect(formatValue(5.67812, '10*3/uL')).toBe('5.7');
    // A value as a laboratory wrote it keeps its decimals.
    expect(formatValue(5.678, '10*3/uL')).toBe('5.678');
  });
  it('writes blood pressure as whole numbers, a missing part as a dash', () => {
    expect(formatBloodPressure({ systolic: 194.1635226723381, diastolic: 98.01998757146438 })).toBe(
      '194/98 mmHg',
    );
    expect(formatBloodPressure({ systolic: 120 })).toBe('120/— mmHg');
    expect(formatBloodPressure({ systolic: 250, systolicComparator: '>', diastolic: 90 })).toBe(
      '> 250/90 mmHg',
    );
  });
  it('keeps a converted temperature no more precise than its source', () => {
    expect(formatQuantity(36.1111, 'Cel', { original: { value: 97.2, unit: '[degF]' } })).toBe('36.1 °C');
  });
});

describe('isStale', () => {
  it('marks readings older than a year', () => {
    const now = new Date('2025-06-01T12:00:00Z');
    expect(isStale('2024-05-01T12:00:00Z', now)).toBe(true);
    expect(isStale('2025-01-01T12:00:00Z', now)).toBe(false);
    expect(toTime('2024-02-03')).toBe(Date.UTC(2024, 1, 3));
  });
});

describe('dates and times in the chart’s time zone', () => {
  const instant = '2024-10-24T03:12:00Z';
  it('shows an instant on its day and at its time in the zone', () => {
    expect(formatDateTime(instant, 'UTC')).toBe('Oct 24, 2024, 3:12 AM');
    expect(formatDateTime(instant, 'Pacific/Honolulu')).toBe('Oct 23, 2024, 5:12 PM');
    expect(formatDateTime(instant, 'Pacific/Kiritimati')).toBe('Oct 24, 2024, 5:12 PM');
    expect(formatDate(instant, 'Pacific/Honolulu')).toBe('Oct 23, 2024');
    expect(formatDateTime('2024-07-21T10:02:00-04:00', 'America/New_York')).toBe('Jul 21, 2024, 10:02 AM');
  });

  it('never shifts a date without a time', () => {
    for (const zone of ['Pacific/Honolulu', 'Pacific/Kiritimati', 'UTC']) {
      expect(formatDate('1939-06-30', zone)).toBe('Jun 30, 1939');
      expect(formatDateTime('2024-03', zone)).toBe('Mar 2024');
      expect(calendarDay('2024-03-05', zone)).toBe('2024-03-05');
    }
  });

  it('names the calendar day an instant falls on in the zone', () => {
    expect(calendarDay(instant, 'UTC')).toBe('2024-10-24');
    expect(calendarDay(instant, 'Pacific/Honolulu')).toBe('2024-10-23');
    expect(calendarDay('2024-12-31T23:30:00-05:00', 'America/New_York')).toBe('2024-12-31');
    expect(calendarDay('2024-12-31T23:30:00-05:00', 'Europe/Berlin')).toBe('2025-01-01');
  });
});

describe('ageOn', () => {
  it("ages the patient on the day the instant falls on in the zone (a birthday comes with that zone's day)", () => {
    // 05:00 UTC on 21 Nov is still 20 Nov in Honolulu: the 74th birthday has not come there.
    expect(ageOn('1950-11-21', '2024-11-21T05:00:00Z', 'UTC')).toBe('74 years');
    expect(ageOn('1950-11-21', '2024-11-21T05:00:00Z', 'Pacific/Honolulu')).toBe('73 years');
    // A newborn in the evening in Honolulu is a day younger than on the UTC day.
    expect(ageOn('2026-12-01', '2026-12-04T06:00:00Z', 'Pacific/Honolulu')).toBe('2 days');
    expect(ageOn('2026-12-01', '2026-12-04T06:00:00Z', 'UTC')).toBe('3 days');
  });
  it('takes a date-only value as written, and gives nothing for an unreadable one or a missing birth date', () => {
    expect(ageOn('2020-03-01', '2021-03-01', 'Pacific/Kiritimati')).toBe('12 months');
    expect(ageOn('2020-03-01', 'not a date', 'UTC')).toBeUndefined();
    expect(ageOn(undefined, '2021-03-01', 'UTC')).toBeUndefined();
  });
});

describe('zoneSentence', () => {
  const winter = new Date('2026-01-15T12:00:00Z');
  const summer = new Date('2026-07-15T12:00:00Z');
  it('names the zone by its IANA name with the abbreviation in use on the day', () => {
    expect(zoneSentence(winter, 'America/Chicago')).toBe('Times are in the America/Chicago time zone (CST).');
    expect(zoneSentence(summer, 'America/Chicago')).toBe('Times are in the America/Chicago time zone (CDT).');
    expect(zoneSentence(winter, 'Pacific/Honolulu')).toBe(
      'Times are in the Pacific/Honolulu time zone (HST).',
    );
    expect(zoneSentence(winter, 'America/Argentina/Buenos_Aires')).toBe(
      'Times are in the America/Argentina/Buenos Aires time zone (GMT-3).',
    );
  });
  it('leaves the abbreviation out when asked, and says UTC plainly', () => {
    expect(zoneSentence(winter, 'America/Chicago', false)).toBe(
      'Times are in the America/Chicago time zone.',
    );
    expect(zoneSentence(winter, 'UTC')).toBe('Times are in UTC.');
  });
});
