import { act, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { LabsPanel } from './labs-panel';
import { PrintHeader, printedPeriod, rangeText } from './print-header';
import { labs, patient, payload, vitals } from './test-data';
import { ok, renderWithClient, stubChartApi } from './test-utils';
import { VitalsPanel } from './vitals-panel';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('rangeText', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  it('names the period of each range', () => {
    expect(rangeText('1y', now)).toBe('the last year (Dec 1, 2025 to Dec 1, 2026)');
    expect(rangeText('5y', now)).toBe('the last 5 years (Dec 1, 2021 to Dec 1, 2026)');
    expect(rangeText('all', now)).toBe('the whole record, to Dec 1, 2026');
  });

  it("ends today in the chart's zone, where the printout's time and newest readings are shown", () => {
    // 18:00 UTC on 3 Dec is 4 Dec in Kiritimati (UTC+14): the searches still start from 3 Dec (a UTC date).
    const evening = new Date('2026-12-03T18:00:00Z');
    expect(rangeText('1y', evening, 'Pacific/Kiritimati')).toBe('the last year (Dec 3, 2025 to Dec 4, 2026)');
    expect(rangeText('all', evening, 'Pacific/Kiritimati')).toBe('the whole record, to Dec 4, 2026');
    expect(rangeText('1y', evening, 'UTC')).toBe('the last year (Dec 3, 2025 to Dec 3, 2026)');
  });
});

describe('printedPeriod', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  it("names the period the panel shows: the range to today, or to the record's last data", () => {
    expect(printedPeriod('1y', now, 'UTC')).toBe('the last year (Dec 1, 2025 to Dec 1, 2026)');
    const died = {
      start: '1978-11-07',
      endsAtLastData: { at: '1979-11-07T23:11:46Z', reason: 'deceased' as const },
    };
    expect(printedPeriod('1y', now, 'UTC', died)).toBe(
      'the year to the last data (Nov 7, 1978 to Nov 7, 1979)',
    );
    expect(printedPeriod('5y', now, 'UTC', { ...died, start: '1974-11-07' })).toBe(
      'the 5 years to the last data (Nov 7, 1974 to Nov 7, 1979)',
    );
    expect(printedPeriod('all', now, 'UTC', { endsAtLastData: died.endsAtLastData })).toBe(
      'the whole record, to its last data on Nov 7, 1979',
    );
  });
});

describe('PrintHeader', () => {
  it("prints the period each panel shows, from the panels' own answers", async () => {
    const period = {
      start: '2020-03-13',
      endsAtLastData: { at: '2021-03-13T21:37:43Z', reason: 'nothing-recent' as const },
    };
    stubChartApi({
      patient: [ok(payload(patient))],
      vitals: [ok({ ...payload(vitals), period })],
      labs: [
        ok({
          ...payload(labs),
          period: {
            ...period,
            start: '2020-01-01',
            endsAtLastData: { ...period.endsAtLastData, at: '2021-01-01T10:00:00Z' },
          },
        }),
      ],
    });
    renderWithClient(
      <>
        <VitalsPanel launchId="L1" range="1y" title="Vitals" />
        <LabsPanel launchId="L1" range="1y" title="Lab results" />
        <PrintHeader launchId="L1" range="1y" userLabel="Dr. Jane Lee" readPatient />
      </>,
    );
    const header = () => document.querySelector('[data-print-header]')?.textContent ?? '';
    await waitFor(() =>
      expect(header()).toContain('Vitals: the year to the last data (Mar 13, 2020 to Mar 13, 2021)'),
    );
    expect(header()).toContain('Labs: the year to the last data (Jan 1, 2020 to Jan 1, 2021)');
    expect(header()).not.toContain('the last year');
  });

  it('names printer, time, zone and range, leaves the patient to the banner, and puts it in the margins of later pages only while printing', async () => {
    stubChartApi({ patient: [ok(payload({ ...patient, name: 'O"Brien </style><b>, Ann' }))] });
    // Outside a DisplayZone the chart's zone is the runtime's own: Node takes a new TZ at once.
    const tz = process.env.TZ;
    process.env.TZ = 'America/Chicago';
    onTestFinished(() => {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    });
    renderWithClient(<PrintHeader launchId="L1" range="5y" userLabel="Dr. Jane Lee" readPatient />);
    const header = document.querySelector('[data-print-header]')!;
    await waitFor(() => expect(header.textContent).toContain('Vitals and labs: the last 5 years'));
    expect(header.textContent).toMatch(
      /Printed by Dr\. Jane Lee on \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M C[SD]T\./,
    );
    expect(header.textContent).toContain('Times are in the America/Chicago time zone.');
    expect(header.textContent).toContain('Confidential patient information');
    // The banner below names the patient with birth date, sex and MRN.
    expect(header.textContent).not.toContain('Brien');
    expect(document.querySelector('style[data-print-margins]')).toBeNull();
    act(() => {
      window.dispatchEvent(new Event('beforeprint'));
    });
    const css = document.querySelector('style[data-print-margins]')?.textContent ?? '';
    // The name is a CSS string: a quote or a closing tag cannot end it, nor the style element.
    expect(css).toContain('O\\22 Brien \\3c /style\\3e \\3c b\\3e , Ann');
    expect(css).not.toContain('</style>');
    expect(css).toMatch(/@page :first \{ @top-left \{ content: none; \} \}/);
    act(() => {
      window.dispatchEvent(new Event('afterprint'));
    });
    expect(document.querySelector('style[data-print-margins]')).toBeNull();
  });

  it('never reads the patient when the EHR shows its own banner', async () => {
    const calls = stubChartApi({});
    renderWithClient(
      <PrintHeader launchId="L1" range="1y" userLabel="Dr. Jane Lee" readPatient={false} patientId="p-7" />,
    );
    expect(document.querySelector('[data-print-header]')?.textContent).toContain(
      'Patient p-7 (as named in the EHR)',
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(0);
  });
});
