import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LabGroup, LabResult } from '@/lib/chart/types';
import { DisplayZone } from './display-zone';
import { LabFlowsheet } from './lab-flowsheet';

const result = (id: string, time: string, value: number, flag?: LabResult['flag']): LabResult => ({
  observationId: id,
  time,
  value,
  unit: 'mmol/L',
  ...(flag ? { flag } : {}),
});

function group(key: string, label: string, history: LabResult[]): LabGroup {
  return { key, label, loinc: '6298-4', latest: history[0]!, history };
}

function sheet(groups: LabGroup[]) {
  render(
    <DisplayZone zone="UTC">
      <LabFlowsheet title="Metabolic panel" groups={groups} id="f" />
    </DisplayZone>,
  );
  return screen.getByRole('table', { name: /Metabolic panel flowsheet/ });
}

const cellOf = (table: HTMLElement, test: string, column: number) =>
  within(table)
    .getByRole('row', { name: new RegExp(test) })
    .querySelectorAll('td')[column]!;

describe('LabFlowsheet', () => {
  it('marks a preliminary result in its cell', () => {
    const table = sheet([
      group('k', 'Potassium', [
        { ...result('k1', '2021-03-13T08:00:00Z', 7.2, 'HH'), flagSource: 'ehr', status: 'preliminary' },
        result('k0', '2020-05-16T10:00:00Z', 4.2),
      ]),
    ]);
    expect(cellOf(table, 'Potassium', 0).textContent).toBe(
      '7.2 ▲▲ HHCritically high Preliminary: not yet verified, it may still change',
    );
    expect(cellOf(table, 'Potassium', 1).textContent).toBe('4.2');
  });

  it('lists two results of one visit in the same cell instead of keeping one', () => {
    // Two metabolic panels recorded at the same instant of one visit (seen in Synthea records).
    const table = sheet([
      group('k', 'Potassium', [
        result('k2', '2021-03-13T21:37:43Z', 5.14, 'H'),
        result('k1', '2021-03-13T21:37:43Z', 4.9),
        result('k0', '2020-05-16T10:00:00Z', 4.2),
      ]),
    ]);
    const cell = cellOf(table, 'Potassium', 0);
    const items = within(cell).getByRole('list', { name: '2 results this day' });
    expect(
      within(items)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([expect.stringMatching(/^5\.14 ▲ H/), '4.9']);
    // The same instant: no time to tell them apart by.
    expect(cell.textContent).not.toMatch(/PM|AM/);
    expect(cellOf(table, 'Potassium', 1).textContent).toBe('4.2');
  });

  it('holds the hidden words of its flags inside its sideways scroll, so a narrow page does not scroll', () => {
    const table = sheet([group('k', 'Potassium', [result('k1', '2021-03-13T21:37:43Z', 5.9, 'H')])]);
    const region = screen.getByRole('region', { name: 'Metabolic panel flowsheet' });
    // The flag's screen-reader text is absolutely positioned: only a positioned scroller clips it.
    const hidden = within(table).getByText('High');
    expect(hidden.className).toContain('sr-only');
    expect(region.contains(hidden)).toBe(true);
    expect(region.classList).toContain('overflow-x-auto');
    expect(region.classList).toContain('relative');
  });

  it('says in its cell that a result cannot be', () => {
    const table = sheet([
      group('k', 'Potassium', [
        { ...result('k1', '2021-03-13T21:37:43Z', -4.1), impossible: 'below zero' },
        result('k0', '2020-05-16T10:00:00Z', 4.2),
      ]),
    ]);
    expect(cellOf(table, 'Potassium', 0).textContent).toBe(
      '-4.1 ⚠ Not possible: below zero. Check the record.',
    );
    expect(cellOf(table, 'Potassium', 1).textContent).toBe('4.2');
  });

  it('gives each result its time where a test was repeated later the same day', () => {
    const table = sheet([
      group('k', 'Potassium', [
        result('k2', '2026-03-01T18:05:00Z', 3.1, 'L'),
        result('k1', '2026-03-01T08:30:00Z', 3.6),
      ]),
    ]);
    const items = within(cellOf(table, 'Potassium', 0)).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringMatching(/^3\.1 .*6:05 PM$/),
      expect.stringMatching(/^3\.6 8:30 AM$/),
    ]);
  });

  it("gives a cell its own unit when it differs from the row's and does not convert", () => {
    // eGFR recorded in mL/min/1.73 m² and, at the same visits, in mL/min (seen in Synthea records).
    const egfr = (id: string, time: string, value: number, unit: string): LabResult => ({
      observationId: id,
      time,
      value,
      unit,
    });
    const table = sheet([
      {
        key: 'egfr',
        label: 'eGFR',
        loinc: '33914-3',
        latest: egfr('e2', '2021-03-13T21:37:43Z', 37, 'mL/min/{1.73_m2}'),
        history: [
          egfr('e2', '2021-03-13T21:37:43Z', 37, 'mL/min/{1.73_m2}'),
          egfr('e1', '2020-05-16T10:00:00Z', 61.5, 'mL/min'),
        ],
      },
    ]);
    expect(cellOf(table, 'eGFR', 0).textContent).toBe('37');
    expect(cellOf(table, 'eGFR', 1).textContent).toMatch(/^61\.5 mL\/min$/);
  });
});
