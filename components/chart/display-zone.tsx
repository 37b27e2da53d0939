'use client';

import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { runtimeZone, ZONE_COOKIE, ZONE_COOKIE_MAX_AGE } from '@/lib/chart/display-zone';

const ZoneContext = createContext<string | undefined>(undefined);

/** Remembers the browser's zone for the pages the server renders next (a framed app's cookie is partitioned). */
function remember(zone: string): void {
  const framed = window.top !== window.self;
  const secure = framed || window.location.protocol === 'https:';
  const site = framed ? '; SameSite=None; Partitioned' : '; SameSite=Lax';
  document.cookie = `${ZONE_COOKIE}=${encodeURIComponent(zone)}; Path=/; Max-Age=${ZONE_COOKIE_MAX_AGE}${site}${secure ? '; Secure' : ''}`;
}

/**
 * The chart's time zone (lib/chart/display-zone.ts). The page starts in the
 * zone the server rendered it in, so that hydration finds the same text;
 * where the browser's own zone differs (its first chart), the chart moves to
 * it once mounted and the browser remembers it for the next pages.
 */
export function DisplayZone({ zone, children }: { readonly zone: string; readonly children: ReactNode }) {
  const [shown, setShown] = useState(zone);
  useEffect(() => {
    const own = runtimeZone();
    if (own === zone) return;
    remember(own);
    setShown(own);
  }, [zone]);
  return <ZoneContext.Provider value={shown}>{children}</ZoneContext.Provider>;
}

/** The zone the chart shows times in; undefined outside a DisplayZone (the runtime's own, in tests). */
export function useDisplayZone(): string | undefined {
  return useContext(ZoneContext);
}
