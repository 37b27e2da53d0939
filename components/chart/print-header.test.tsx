import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PrintHeader, rangeText } from './print-header';
import { patient, payload } from './test-data';
import { ok, renderWithClient, stubChartApi } from './test-utils';

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

describe('PrintHeader', () => {
  it('names patient, printer, time and range, and puts the patient in the page margins only while printing', async () => {
    stubChartApi({ patient: [ok(payload({ ...patient, name: 'O"Brien </style><b>, Ann' }))] });
    renderWithClient(<PrintHeader launchId="L1" range="5y" userLabel="Dr. Jane Lee" readPatient />);
    await screen.findByText(/O"Brien/);
    const header = document.querySelector('[data-print-header]')!;
    expect(header.textContent).toMatch(/Printed by Dr\. Jane Lee on \w{3} \d{1,2}, \d{4}/);
    expect(header.textContent).toContain('Vitals and labs: the last 5 years');
    expect(header.textContent).toContain('Confidential patient information');
    expect(document.querySelector('style[data-print-margins]')).toBeNull();
    act(() => {
      window.dispatchEvent(new Event('beforeprint'));
    });
    const css = document.querySelector('style[data-print-margins]')?.textContent ?? '';
    // The name is a CSS string: a quote or a closing tag cannot end it, nor the style element.
    expect(css).toContain('O\\22 Brien \\3c /style\\3e \\3c b\\3e , Ann');
    expect(css).not.toContain('</style>');
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
