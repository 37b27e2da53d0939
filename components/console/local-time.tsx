'use client';

import { useEffect, useState } from 'react';

const utcText = (iso: string): string => `${iso.slice(0, 19).replace('T', ' ')} UTC`;

/**
 * An instant in the officer's own time zone, with UTC on hover. The server
 * renders UTC (it does not know the browser's zone); the browser replaces it
 * once mounted.
 */
export function LocalTime({ iso }: { readonly iso: string }) {
  const [local, setLocal] = useState<string | undefined>(undefined);
  useEffect(() => {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return;
    setLocal(
      new Intl.DateTimeFormat(undefined, {
        dateStyle: 'medium',
        timeStyle: 'medium',
        timeZoneName: 'short',
      }).format(d),
    );
  }, [iso]);
  if (!iso) return null;
  return (
    <time dateTime={iso} title={utcText(iso)}>
      {local ?? utcText(iso)}
    </time>
  );
}
