'use client';

import { useEffect, useState } from 'react';

const utcText = (iso: string): string => `${iso.slice(0, 19).replace('T', ' ')} UTC`;

/** An ISO instant as the officer reads it, in their time zone (or the one given), with the zone named. */
export function formatLocal(iso: string, timeZone?: string): string | undefined {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  // dateStyle/timeStyle cannot be combined with timeZoneName: name the fields.
  return new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
    ...(timeZone !== undefined ? { timeZone } : {}),
  }).format(d);
}

/**
 * An instant in the officer's own time zone, with UTC on hover. The server
 * renders UTC (it does not know the browser's zone); the browser replaces it
 * once mounted.
 */
export function LocalTime({ iso }: { readonly iso: string }) {
  const [local, setLocal] = useState<string | undefined>(undefined);
  useEffect(() => setLocal(formatLocal(iso)), [iso]);
  if (!iso) return null;
  return (
    <time dateTime={iso} title={utcText(iso)}>
      {local ?? utcText(iso)}
    </time>
  );
}
