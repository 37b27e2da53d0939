import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { mapVitals } from '@/lib/chart/vitals';
import { payload, q, reading } from './test-data';
import { ok, renderWithClient, stubChartApi, tableRows, atTestNow } from './test-utils';
import { VitalsPanel } from './vitals-panel';

atTestNow();

const adult = { birthDate: '1960-01-01', gender: 'male' };

function show(observations: Observation[]) {
  stubChartApi({ vitals: [ok(payload(mapVitals(observations, adult)))] });
  renderWithClient(<VitalsPanel launchId="L1" range="1y" title="Vitals" />);
}

describe('VitalsPanel: preliminary, bounded and unreadable readings', () => {
  it('marks a preliminary reading as such in the tile and in its table row, and a final one not', async () => {
    show([
      reading('h1', '8867-4', '2025-05-01T10:00:00Z', { valueQuantity: q(72, '/min') }),
      reading('h2', '8867-4', '2025-05-20T10:00:00Z', {
        status: 'preliminary',
        valueQuantity: q(138, '/min'),
      }),
    ]);
    const tile = await screen.findByRole('article', { name: 'Heart rate' });
    const latest = tile.querySelector('p');
    expect(latest?.textContent).toContain('138 /min');
    expect(latest?.querySelector('[data-preliminary]')?.textContent).toBe(
      'Preliminary: not yet verified, it may still change',
    );
    // The chart's summary (and the reading's tooltip) say so too.
    expect(within(tile).getByRole('img').getAttribute('aria-label')).toContain(
      'latest 138 /min (preliminary)',
    );
    const rows = await tableRows(tile, 'Heart rate');
    expect(rows[0]).toContain('138 /min▲ Above normalPreliminary');
    expect(rows[1]).toContain('72 /min');
    expect(rows[1]).not.toContain('Preliminary');
  });

  it('shows a bound as the EHR sent it ("< 70 %"), judges it only when all it may be is beyond the band, and does not draw it', async () => {
    const spo2 = (id: string, time: string, value: number, comparator?: '<' | '>') =>
      reading(id, '59408-5', time, {
        valueQuantity: { ...q(value, '%'), ...(comparator ? { comparator } : {}) },
      });
    show([
      spo2('s1', '2025-05-01T10:00:00Z', 97),
      spo2('s2', '2025-05-10T10:00:00Z', 90, '>'),
      spo2('s3', '2025-05-20T10:00:00Z', 70, '<'),
      reading('t1', '8310-5', '2025-05-20T10:00:00Z', {
        valueQuantity: { ...q(32, 'Cel'), comparator: '<' },
      }),
    ]);
    const tile = await screen.findByRole('article', { name: 'SpO₂' });
    expect(tile.querySelector('.text-2xl')?.textContent).toBe('< 70 %');
    expect(tile.querySelector('[data-reading-flag]')?.textContent).toBe('▼ Below normal');
    // Drawn: the exact 97 alone; the bounds are said and listed.
    const chart = within(tile).getByRole('img');
    expect(chart.getAttribute('aria-label')).toContain('1 reading');
    expect(chart.getAttribute('aria-label')).not.toContain('70');
    expect(tile.querySelector('[data-bounds-not-drawn]')?.textContent).toBe(
      '2 readings known only as bounds (> 90 %, < 70 %) are not drawn; the table lists them.',
    );
    const rows = await tableRows(tile, 'SpO₂');
    expect(rows[0]).toContain('< 70 %▼ Below normal');
    // "> 90 %" may be 97 %, inside the band: not judged either way, never "below" as the value 90 would be.
    expect(rows[1]).toContain('> 90 %');
    expect(rows[1]).not.toMatch(/Below|Above/);
    const temp = screen.getByRole('article', { name: 'Temperature' });
    expect(temp.querySelector('.text-2xl')?.textContent).toBe('< 32 °C');
    expect(temp.querySelector('[data-reading-flag]')?.textContent).toBe('▼ Below normal');
    expect(within(temp).queryByRole('img')).toBeNull();
  });

  it('says beside a vital how many of its readings could not be read, and names a vital none of whose could', async () => {
    show([
      reading('w1', '29463-7', '2025-01-01T10:00:00Z', { valueQuantity: q(80, 'kg') }),
      reading('w2', '29463-7', '2025-05-01T10:00:00Z', { valueQuantity: { value: 12, unit: 'stone' } }),
      reading('w3', '29463-7', '2025-05-02T10:00:00Z', { valueQuantity: { value: 12, unit: 'stone' } }),
      reading('h1', '8867-4', '2025-05-01T10:00:00Z', { valueQuantity: { value: 1.2, unit: 'Hz-ish' } }),
    ]);
    const weight = await screen.findByRole('article', { name: 'Weight' });
    expect(weight.querySelector('[data-unreadable]')?.textContent).toBe(
      '⚠ 2 readings not shown: their unit could not be read. The latest reading shown may not be the latest taken.',
    );
    const lost = screen.getByRole('list', { name: 'Vital signs that could not be read' });
    expect(lost.textContent).toBe(
      '⚠ Heart rate: the EHR sent 1 reading whose unit could not be read; it is not shown.',
    );
    expect(screen.queryByRole('article', { name: 'Heart rate' })).toBeNull();
  });

  it('says readings were sent but none could be read, rather than that none were recorded', async () => {
    show([
      reading('s1', '59408-5', '2025-05-01T10:00:00Z', { valueQuantity: { value: 0.9, unit: 'ratio?' } }),
    ]);
    const lost = await screen.findByRole('list', { name: 'Vital signs that could not be read' });
    expect(lost.textContent).toContain('SpO₂: the EHR sent 1 reading whose unit could not be read');
    expect(screen.queryByText('No vital signs recorded in this period.')).toBeNull();
  });
});
