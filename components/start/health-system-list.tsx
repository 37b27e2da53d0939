'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import type { HealthSystem } from '@/lib/brands/health-systems';

/** Case- and accent-blind, so "sante" finds "Santé". */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

const CARD = 'flex items-center gap-3 rounded-md border px-4 py-3';

/** The brand's logo, or its initial where it has none; decorative beside the name. */
function Logo({ system }: { readonly system: HealthSystem }) {
  // An inlined data: image or the app's own logo route (lib/brands/logo.ts).
  if (system.logo !== undefined)
    return (
      <img src={system.logo} alt="" width={32} height={32} loading="lazy" className="h-8 w-8 shrink-0" />
    );
  return (
    <span
      aria-hidden="true"
      className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-slate-200 font-semibold text-slate-700"
    >
      {system.name.slice(0, 1).toUpperCase()}
    </span>
  );
}

/**
 * Health systems a patient can sign in to, with their logos, filtered by a
 * search box as they type (by name, alias or portal name). A system the app has
 * no registration for is shown, marked "not connected yet", without a link.
 */
export function HealthSystemList({ systems }: { readonly systems: readonly HealthSystem[] }) {
  const t = useTranslations('start');
  const [query, setQuery] = useState('');
  const inputId = useId();
  const words = fold(query).split(/\s+/).filter(Boolean);
  const shown = systems.filter((s) => {
    const names = fold([s.name, ...s.aliases].join(' '));
    return words.every((w) => names.includes(w));
  });
  return (
    <div className="space-y-3">
      <div className="flex flex-col gap-1">
        <label htmlFor={inputId} className="font-medium">
          {t('find')}
        </label>
        <input
          id={inputId}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          autoComplete="off"
          className="w-full rounded-md border border-slate-400 px-3 py-2 sm:max-w-sm"
        />
      </div>
      <p className="sr-only" role="status">
        {t('count', { count: shown.length })}
      </p>
      {shown.length === 0 ? (
        <p className="text-slate-700">{t('noMatch', { query })}</p>
      ) : (
        <ul className="grid gap-2 sm:grid-cols-2">
          {shown.map((s) => (
            <li key={s.key}>
              {s.regId === undefined ? (
                <div className={`${CARD} border-slate-200 bg-slate-50`} data-testid="not-connected">
                  <Logo system={s} />
                  <span className="flex flex-col">
                    <span>{s.name}</span>
                    <span className="text-sm text-slate-700">{t('notConnected')}</span>
                  </span>
                </div>
              ) : (
                <a
                  className={`${CARD} border-slate-300 bg-white hover:border-blue-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700`}
                  href={`/launch?ehr=${encodeURIComponent(s.regId)}&mode=patient`}
                >
                  <Logo system={s} />
                  <span>{t('signInWith', { name: s.name })}</span>
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
