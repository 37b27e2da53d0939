'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';

export interface HealthSystem {
  /** Registration id, as `/launch?ehr=` takes it. */
  readonly id: string;
  /** The name patients know it by. */
  readonly label: string;
}

/** Case- and accent-blind, so "sante" finds "Santé". */
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/** Health systems a patient can sign in to, filtered by a search box as they type. */
export function HealthSystemList({ systems }: { readonly systems: readonly HealthSystem[] }) {
  const t = useTranslations('start');
  const [query, setQuery] = useState('');
  const inputId = useId();
  const words = fold(query).split(/\s+/).filter(Boolean);
  const shown = systems.filter((s) => words.every((w) => fold(s.label).includes(w)));
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
            <li key={s.id}>
              <a
                className="block rounded-md border border-slate-300 bg-white px-4 py-3 hover:border-blue-600 focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700"
                href={`/launch?ehr=${encodeURIComponent(s.id)}&mode=patient`}
              >
                {t('signInWith', { name: s.label })}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
