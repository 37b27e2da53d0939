import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Observation } from '@medplum/fhirtypes';
import { mapVitals } from '@/lib/chart/vitals';
import { loinc, payload, q, reading } from './test-data';
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

  it('shows a blood pressure with a side known only as a bound as "> 250/90 mmHg", judges the bound only by its side, and does not draw it', async () => {
    const side = (code: string, value: number, comparator?: '<' | '>') => ({
      code: loinc(code),
      valueQuantity: { ...q(value, 'mm[Hg]'), ...(comparator ? { comparator } : {}) },
    });
    const panel = (
      id: string,
      time: string,
      systolic: readonly [number, ('<' | '>')?],
      diastolic: readonly [number, ('<' | '>')?],
    ) =>
      reading(id, '85354-9', time, {
        component: [side('8480-6', ...systolic), side('8462-4', ...diastolic)],
      });
    show([
      panel('b1', '2025-05-01T10:00:00Z', [118], [76]),
      // "< 150" may be 110: not stage 2 as the value 150 would be.
      panel('b2', '2025-05-05T10:00:00Z', [150, '<'], [70]),
      // "> 100" may be 110 or 130: neither above nor normal, so not judged.
      panel('b3', '2025-05-10T10:00:00Z', [100, '>'], [70]),
      panel('b4', '2025-05-15T10:00:00Z', [150], [95]),
      // A device whose range ends at 250, its lone systolic paired with the diastolic taken with it.
      reading('s5', '8480-6', '2025-05-20T10:00:00Z', {
        valueQuantity: { ...q(250, 'mm[Hg]'), comparator: '>' },
      }),
      reading('d5', '8462-4', '2025-05-20T10:00:00Z', { valueQuantity: q(90, 'mm[Hg]') }),
    ]);
    const tile = await screen.findByRole('article', { name: 'Blood pressure' });
    expect(tile.querySelector('.text-2xl')?.textContent).toBe('> 250/90 mmHg');
    expect(tile.querySelector('[data-reading-flag]')?.textContent).toBe('▲▲ Severely high (over 180/120)');
    // Drawn: the exact 118/76 and 150/95 alone; the bounds are said and listed.
    const chart = within(tile).getByRole('img');
    expect(chart.getAttribute('aria-label')).toContain('2 readings');
    expect(chart.getAttribute('aria-label')).not.toContain('250');
    expect(tile.querySelector('[data-bounds-not-drawn]')?.textContent).toBe(
      '3 readings known only as bounds (< 150/70 mmHg, > 100/70 mmHg, > 250/90 mmHg) are not drawn; the table lists them.',
    );
    const rows = await tableRows(tile, 'Blood pressure');
    expect(rows[0]).toContain('> 250/90 mmHg▲▲ Severely high (over 180/120)');
    expect(rows[1]).toContain('150/95 mmHg▲▲ Far above normal');
    expect(rows[2]).toContain('> 100/70 mmHg');
    expect(rows[2]).not.toMatch(/Above|Far above|Severely/);
    expect(rows[3]).toContain('< 150/70 mmHg');
    expect(rows[3]).not.toMatch(/Above|Far above|Severely/);
  });

  it('does not call 110/< 130 mmHg swapped: "< 130" may be 70; 110/> 120 mmHg is', async () => {
    const bound = (value: number, comparator: '<' | '>') => ({ ...q(value, 'mm[Hg]'), comparator });
    const bp = (id: string, time: string, diastolic: ReturnType<typeof bound>) =>
      reading(id, '85354-9', time, {
        component: [
          { code: loinc('8480-6'), valueQuantity: q(110, 'mm[Hg]') },
          { code: loinc('8462-4'), valueQuantity: diastolic },
        ],
      });
    show([
      bp('p1', '2025-05-10T10:00:00Z', bound(120, '>')),
      bp('p2', '2025-05-20T10:00:00Z', bound(130, '<')),
    ]);
    const tile = await screen.findByRole('article', { name: 'Blood pressure' });
    const rows = await tableRows(tile, 'Blood pressure');
    expect(rows[0]).toContain('110/< 130 mmHg');
    expect(rows[0]).not.toContain('Not possible');
    expect(rows[1]).toContain('110/> 120 mmHg');
    expect(rows[1]).toContain('Not possible: diastolic not below systolic (swapped?)');
  });

  it('calls "> 250/< 40 mmHg" severely high by its systolic, and a diastolic "< 90" not high', async () => {
    const bound = (value: number, comparator: '<' | '>') => ({ ...q(value, 'mm[Hg]'), comparator });
    show([
      reading('p1', '85354-9', '2025-05-10T10:00:00Z', {
        component: [
          { code: loinc('8480-6'), valueQuantity: bound(250, '>') },
          { code: loinc('8462-4'), valueQuantity: bound(40, '<') },
        ],
      }),
      reading('p2', '85354-9', '2025-05-20T10:00:00Z', {
        component: [
          { code: loinc('8480-6'), valueQuantity: q(110, 'mm[Hg]') },
          { code: loinc('8462-4'), valueQuantity: bound(90, '<') },
        ],
      }),
    ]);
    const tile = await screen.findByRole('article', { name: 'Blood pressure' });
    // "< 90" may be 70: the latest is not called high (nor stage 2, as the value 90 would be).
    expect(tile.querySelector('.text-2xl')?.textContent).toBe('110/< 90 mmHg');
    expect(tile.querySelector('p [data-reading-flag]')).toBeNull();
    // Neither reading is drawn, so there is no trend.
    expect(within(tile).queryByRole('img')).toBeNull();
    const rows = await tableRows(tile, 'Blood pressure');
    expect(rows[0]).toContain('110/< 90 mmHg');
    expect(rows[0]).not.toMatch(/Above|Far above|Severely/);
    expect(rows[1]).toContain('> 250/< 40 mmHg▲▲ Severely high (over 180/120)');
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
