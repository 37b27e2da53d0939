import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LabGroup, LabResult } from '@/lib/chart/types';
import { LabRow, rangeText } from './lab-row';

const result = (id: string, time: string, value: number, flag?: LabResult['flag']): LabResult => ({
  observationId: id,
  time,
  value,
  unit: 'mg/dL',
  ...(flag ? { flag } : {}),
});

function row(history: LabResult[]) {
  const sent: LabGroup = { key: 'glu', label: 'Glucose', loinc: '2345-7', latest: history[0]!, history };
  // As the page receives it: the latest result and its place in the history are two objects.
  const group = JSON.parse(JSON.stringify(sent)) as LabGroup;
  render(
    <ul>
      <LabRow group={group} now={new Date('2021-04-01T00:00:00Z')} />
    </ul>,
  );
  return screen.getByRole('listitem');
}

describe('LabRow', () => {
  it('marks a preliminary latest result, and each preliminary result of its history, in words beside its flag', () => {
    const li = row([
      { ...result('k1', '2021-03-01T08:00:00Z', 7.2, 'HH'), status: 'preliminary' },
      result('k0', '2021-02-01T08:00:00Z', 4.1, 'N'),
    ]);
    const latest = li.querySelector('.text-lg')?.parentElement;
    expect(latest?.textContent).toContain('7.2 mg/dL▲▲ HHCritically highPreliminary');
    expect(within(li).getAllByText(/^Preliminary/)).toHaveLength(1);
    fireEvent.click(within(li).getByRole('button', { name: /Show history of Glucose/ }));
    const rows = li.querySelectorAll('tbody tr');
    expect(rows[0]?.querySelector('[data-preliminary]')).not.toBeNull();
    expect(rows[1]?.querySelector('[data-preliminary]')).toBeNull();
  });

  it('marks a preliminary result taken at the same moment as the latest', () => {
    const li = row([
      result('g1', '2021-02-13T10:00:00Z', 182, 'H'),
      { ...result('g2', '2021-02-13T10:00:00Z', 190, 'H'), status: 'preliminary' },
    ]);
    const also = [...li.querySelectorAll('p')].find((p) => p.textContent?.startsWith('Also at this time'));
    expect(also?.querySelector('[data-preliminary]')).not.toBeNull();
  });

  it('shows a result with the decimals its range asks for, so it never reads as inside it', () => {
    // A glucose in mg/dL is shown in whole numbers: "100". Beside an upper bound of 99.45 (lib/chart/labs.ts asks
    // for a decimal then), "99" would read as in the range; it stays 99.5.
    const li = row([
      { ...result('g1', '2021-02-13T10:00:00Z', 99.5, 'H'), decimals: 1 },
      result('g0', '2020-05-16T10:00:00Z', 95),
    ]);
    expect(within(li).getByText('99.5 mg/dL')).toBeTruthy();
  });

  it('renders the folded history only once it is opened, into the element the button controls', () => {
    const li = row([
      result('g1', '2021-02-13T10:00:00Z', 101, 'H'),
      result('g0', '2020-05-16T10:00:00Z', 95),
    ]);
    const button = within(li).getByRole('button', { name: 'Show history of Glucose, 2 results' });
    const region = document.getElementById(button.getAttribute('aria-controls') ?? '');
    expect(region).not.toBeNull();
    expect(region?.hasAttribute('hidden')).toBe(true);
    expect(region?.querySelector('table')).toBeNull();
    fireEvent.click(button);
    expect(region?.hasAttribute('hidden')).toBe(false);
    expect(region?.querySelectorAll('tbody tr')).toHaveLength(2);
  });

  it('keeps the results it showed when the history is closed and opened again', () => {
    const history = Array.from({ length: 25 }, (_, i) =>
      result(`g${i}`, new Date(Date.UTC(2021, 0, 25 - i, 10)).toISOString(), 90 + i),
    );
    const li = row(history);
    const toggle = within(li).getByRole('button', { name: /history of Glucose, 25 results/ });
    const shownRows = () => li.querySelectorAll('tbody tr').length;
    fireEvent.click(toggle);
    expect(shownRows()).toBe(20);
    fireEvent.click(within(li).getByRole('button', { name: /Show 5 more Glucose results/ }));
    expect(shownRows()).toBe(25);
    fireEvent.click(toggle);
    expect(shownRows()).toBe(0);
    fireEvent.click(toggle);
    expect(shownRows()).toBe(25);
  });

  it('names a result taken at the same moment as the latest instead of hiding it in the history', () => {
    // Two panels of one visit, as a Synthea record has them: the same instant, written differently.
    const li = row([
      result('g2', '2021-03-13T21:37:43Z', 83),
      result('g1', '2021-03-13T21:37:43.000+00:00', 190, 'H'),
      result('g0', '2020-05-16T10:00:00Z', 95),
    ]);
    const also = [...li.querySelectorAll('p')].find((p) => p.textContent?.startsWith('Also at this time'));
    expect(also?.textContent).toMatch(/^Also at this time: 190 mg\/dL\s*▲ HHigh$/);
  });

  it('says a result that cannot be is not possible, in its row and its history, and leaves it out of the trend', () => {
    const li = row([
      { ...result('g2', '2021-03-13T21:37:43Z', -95), impossible: 'below zero' },
      result('g1', '2021-02-13T10:00:00Z', 101, 'H'),
      result('g0', '2020-05-16T10:00:00Z', 95),
    ]);
    const notes = () => [...li.querySelectorAll('[data-result-flag="impossible"]')].map((n) => n.textContent);
    // The latest; its line in the history once the history is opened (it is not rendered folded).
    expect(notes()).toEqual(['⚠ Not possible: below zero. Check the record.']);
    fireEvent.click(screen.getByRole('button', { name: /Show history of Glucose/ }));
    expect(notes()).toEqual([
      '⚠ Not possible: below zero. Check the record.',
      '⚠ Not possible: below zero. Check the record.',
    ]);
    expect(screen.getByRole('img', { name: /trend/ }).getAttribute('aria-label')).toBe(
      'Glucose trend: 95, 101',
    );
    expect(li.textContent).toContain(
      '1 result that is not possible is not drawn in the trend; the history lists it.',
    );
  });

  it('says when nothing judges a value: no reference range and no flag from the EHR', () => {
    const li = row([result('g2', '2021-03-13T21:37:43Z', 311)]);
    expect(li.textContent).toContain('No reference range from the EHR: not judged high or low.');
  });

  it('gives no such remark to a value the EHR flagged or gave a range for', () => {
    const flagged = row([result('f', '2021-03-13T21:37:43Z', 311, 'H')]);
    expect(flagged.textContent).not.toContain('No reference range');
    flagged.remove();
    const ranged = row([
      { ...result('r', '2021-03-13T21:37:43Z', 90), range: { low: 70, high: 99, unit: 'mg/dL' } },
    ]);
    expect(ranged.textContent).toContain('Reference range: 70');
    expect(ranged.textContent).not.toContain('No reference range');
  });

  it('says nothing more when the latest result stands alone at its time', () => {
    const li = row([result('g2', '2021-03-13T21:37:43Z', 83), result('g1', '2021-03-13T08:00:00Z', 90)]);
    expect(li.textContent).not.toContain('Also at this time');
  });

  it("draws the trend in the latest result's unit only", () => {
    const li = row([
      { observationId: 'e3', time: '2021-03-13T21:37:43Z', value: 37, unit: 'mL/min/{1.73_m2}' },
      { observationId: 'e2', time: '2021-03-13T21:37:43Z', value: 82.3, unit: 'mL/min' },
      { observationId: 'e1', time: '2020-05-16T10:00:00Z', value: 45, unit: 'mL/min/{1.73_m2}' },
    ]);
    const trend = li.querySelector('[aria-label*="trend"]');
    expect(trend?.getAttribute('aria-label')).toMatch(/trend: 45, 37$/);
  });
});

describe('an eGFR below 60', () => {
  const egfr = (value: number, unit = 'mL/min/{1.73_m2}') => {
    const latest: LabResult = { observationId: 'e', time: '2021-03-28T21:42:54Z', value, unit };
    render(
      <ul>
        <LabRow
          group={{ key: 'egfr', label: 'eGFR', loinc: '33914-3', latest, history: [latest] }}
          now={new Date('2021-04-01T00:00:00Z')}
        />
      </ul>,
    );
    return screen.getByRole('listitem');
  };

  it('names its KDIGO 2012 category, though the EHR sent no range', () => {
    expect(egfr(41).querySelector('[data-gfr-category]')?.textContent).toBe(
      'GFR category G3b: moderately to severely decreased (KDIGO 2012)',
    );
  });

  it('is categorised by its code when the unit leaves out the 1.73 m²', () => {
    expect(egfr(12, 'mL/min').querySelector('[data-gfr-category]')?.getAttribute('data-gfr-category')).toBe(
      'G5',
    );
  });

  it('is not categorised at 60 or over', () => {
    expect(egfr(75).querySelector('[data-gfr-category]')).toBeNull();
  });
});

describe('rangeText', () => {
  const at = (range: LabResult['range']): LabResult => ({
    ...result('r', '2021-02-13T10:00:00Z', 100),
    range,
  });
  it('writes a bound outside the range as such, and one inside as such', () => {
    expect(rangeText(at({ low: 59, lowExclusive: true, unit: 'mg/dL' }), undefined)).toBe('> 59 mg/dL');
    expect(rangeText(at({ low: 59, unit: 'mg/dL' }), undefined)).toBe('≥ 59 mg/dL');
    expect(rangeText(at({ high: 200, highExclusive: true, unit: 'mg/dL' }), undefined)).toBe('< 200 mg/dL');
    expect(rangeText(at({ high: 200, unit: 'mg/dL' }), undefined)).toBe('≤ 200 mg/dL');
    expect(rangeText(at({ low: 65, high: 99, unit: 'mg/dL', text: '65-99', fromText: true }), '2345-7')).toBe(
      '65–99 mg/dL',
    );
    expect(rangeText(at({ text: 'Negative' }), undefined)).toBe('Negative');
  });
});
