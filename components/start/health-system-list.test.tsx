import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { NextIntlClientProvider } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { parseBrandsBundle } from '@/lib/brands/bundle';
import { healthSystems } from '@/lib/brands/health-systems';
import { MESSAGES } from '@/lib/i18n/messages';
import { brandName, brandsBundle } from '@/test/support/brands-bundle';
import { HealthSystemList } from './health-system-list';

const regs = [
  { id: 'sandbox-generic', label: 'Sandbox EHR', issuer: 'http://localhost:4000/generic/fhir' },
  { id: 'sandbox-athena', label: 'Sandbox EHR (athenahealth)', issuer: 'http://localhost:4000/athena/fhir' },
];
const brands = parseBrandsBundle(
  brandsBundle(200, [{ name: 'Clínica San José', address: 'http://localhost:4000/athena/fhir' }]),
  'brands.json',
);

function renderList(locale: 'en' | 'es' = 'en') {
  render(
    <NextIntlClientProvider locale={locale} messages={MESSAGES[locale]} timeZone="UTC">
      <HealthSystemList systems={healthSystems(regs, brands, (b) => b.logo)} />
    </NextIntlClientProvider>,
  );
  return screen.getByRole('searchbox', { name: MESSAGES[locale].start.find });
}

describe('HealthSystemList with an imported brands bundle', () => {
  it('lists 200 brands with logos beside the registered EHRs, and finds one by name', async () => {
    const search = renderList();
    expect(screen.getByRole('status').textContent).toBe('201 health systems');
    expect(screen.getAllByTestId('not-connected')).toHaveLength(199);
    await userEvent.type(search, brandName(142).toLowerCase());
    const [card] = screen.getAllByTestId('not-connected');
    expect(screen.getByRole('status').textContent).toBe('1 health system');
    expect(within(card!).getByText(brandName(142))).toBeTruthy();
    expect(within(card!).getByText('Not connected yet')).toBeTruthy();
    expect(card!.querySelector('img')?.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(within(card!).queryByRole('link')).toBeNull();
  });

  it('signs in to a connected brand through its registration, found without accents or by portal name', async () => {
    const search = renderList();
    await userEvent.type(search, 'clinica jose');
    expect(screen.getByRole('link', { name: 'Sign in with Clínica San José' }).getAttribute('href')).toBe(
      '/launch?ehr=sandbox-athena&mode=patient',
    );
    await userEvent.clear(search);
    await userEvent.type(search, 'San José MyChart');
    expect(screen.getByRole('link', { name: 'Sign in with Clínica San José' })).toBeTruthy();
  });

  it('speaks Spanish', async () => {
    const search = renderList('es');
    await userEvent.type(search, brandName(142));
    expect(screen.getByText('Aún sin conexión')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('1 sistema de salud');
    await userEvent.clear(search);
    await userEvent.type(search, 'ningún hospital');
    expect(screen.getByText('Ningún sistema de salud tiene el nombre “ningún hospital”.')).toBeTruthy();
  });
});
