'use client';

import { useTranslations } from 'next-intl';

/** Under a result the health system released before it was checked: said in words, in the patient's language. */
export function PreliminaryNote({ preliminary }: { readonly preliminary: boolean | undefined }) {
  const t = useTranslations('patient');
  if (!preliminary) return null;
  return (
    <p className="text-sm font-semibold" data-preliminary>
      {t('preliminary')}
    </p>
  );
}
