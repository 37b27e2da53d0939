import { render, screen } from '@testing-library/react';
import { NextIntlClientProvider } from 'next-intl';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { type Locale } from '@/lib/i18n/locale';
import { MESSAGES } from '@/lib/i18n/messages';
import type { Quantity } from '@/lib/chart/types';
import { DisplayZone } from '../chart/display-zone';
import { formatQuantity } from '../chart/format';
import { usePatientFormat } from './format';

interface Case {
  readonly value: number;
  readonly unit: string;
  readonly loinc?: string;
  readonly original?: Quantity;
}

const CASES: readonly Case[] = [
  // Three significant digits: the zero the recorded value supports stays.
  { value: 0.29031, unit: 'kU/L', loinc: '6206-7' },
  { value: 3.0102, unit: '%', loinc: '4548-4' },
  // Recorded as a whole number: no decimals claimed.
  { value: 17, unit: 'mg/dL', loinc: '2345-7' },
  { value: 5.1, unit: 'mmol/L', loinc: '2823-3' },
  // Converted from 97 °F: no finer than it was taken.
  { value: 36.111111, unit: 'Cel', loinc: '8310-5', original: { value: 97, unit: '[degF]' } },
  // A small value keeps two significant digits: it is never shown as zero.
  { value: -0.04, unit: 'mmol/L', loinc: '1925-7' },
];

function Shown({ cases }: { readonly cases: readonly Case[] }) {
  const f = usePatientFormat();
  return (
    <ul>
      {cases.map((c, i) => (
        <li key={i} data-testid="shown">
          {f.quantity(c.value, c.unit, { loinc: c.loinc, original: c.original })}
        </li>
      ))}
    </ul>
  );
}

function shownIn(locale: Locale): string[] {
  const { unmount } = render(
    <NextIntlClientProvider locale={locale} messages={MESSAGES[locale]} timeZone="UTC">
      <Shown cases={CASES} />
    </NextIntlClientProvider>,
  );
  const texts = screen.getAllByTestId('shown').map((li) => li.textContent ?? '');
  unmount();
  return texts;
}

describe("the patient's numbers", () => {
  const chart = CASES.map((c) =>
    formatQuantity(c.value, c.unit, {
      ...(c.loinc ? { loinc: c.loinc } : {}),
      ...(c.original ? { original: c.original } : {}),
    }),
  );

  it('are the numbers the clinician chart shows, in English', () => {
    expect(chart).toEqual(['0.290 kU/L', '3.0 %', '17 mg/dL', '5.1 mmol/L', '36.1 °C', '-0.04 mmol/L']);
    expect(shownIn('en')).toEqual(chart);
  });

  it('and in Spanish, with a decimal comma', () => {
    expect(shownIn('es')).toEqual(chart.map((text) => text.replace('.', ',')));
  });
});

describe("the patient's dates", () => {
  function DateShown({ values }: { readonly values: readonly string[] }) {
    const f = usePatientFormat();
    return <p>{values.map((v) => f.date(v).text).join(' | ')}</p>;
  }
  const inZone = (zone: string, values: readonly string[]) =>
    renderToString(
      <NextIntlClientProvider locale="en" messages={MESSAGES.en} timeZone="UTC">
        <DisplayZone zone={zone}>
          <DateShown values={values} />
        </DisplayZone>
      </NextIntlClientProvider>,
    );

  it('put a time on the day it was in the page’s zone, and never move a date without one', () => {
    // 02:30 UTC on Mar 5 is the evening of Mar 4 in New York.
    const values = ['2024-03-05T02:30:00Z', '2024-03-05', '2024-03'];
    expect(inZone('America/New_York', values)).toContain('Mar 4, 2024 | Mar 5, 2024 | March 2024');
    expect(inZone('UTC', values)).toContain('Mar 5, 2024 | Mar 5, 2024 | March 2024');
    // Words in a date's place stay words, in any zone.
    expect(inZone('America/New_York', ['since 2015', '2015 or so'])).toContain('since 2015 | 2015 or so');
  });
});
