import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getTranslations } from 'next-intl/server';
import { DisplayZone } from '@/components/chart/display-zone';
import { DocumentLang } from '@/components/patient/document-lang';
import { MergedRecord } from '@/components/patient/merged-record';
import { Providers } from '@/components/providers';
import { RecordSession } from '@/components/session/record-session';
import { chartAudience } from '@/lib/chart/audience';
import { ZONE_COOKIE, zoneForRender } from '@/lib/chart/display-zone';
import { env } from '@/lib/env';
import { findById, registrations } from '@/lib/smart/registrations';
import { launchIdsInCookies, readSession } from '@/lib/smart/session';
import { getLaunchStore } from '@/lib/state';

export const dynamic = 'force-dynamic';

/** The merged record's title, in the patient's language. */
export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('merged'))('title') };
}

/**
 * A patient's record from every health system they are signed in to in this
 * browser: each a launch of its own (its own session, tokens and audit events),
 * found by its handle cookie. The page carries no patient data; the merged
 * view reads each launch's audited routes. Nothing is kept beyond the sessions.
 */
export default async function RecordPage() {
  const jar = new Map((await cookies()).getAll().map((c) => [c.name, c.value]));
  const ids = launchIdsInCookies(jar);
  const deps = { env: env(), launches: await getLaunchStore() };
  const states = await Promise.all(ids.map((id) => readSession(jar, id, deps)));
  const systems = states.flatMap((s) =>
    s.status === 'active' &&
    s.session.patient !== undefined &&
    chartAudience(s.session.user, s.session.mode) === 'patient'
      ? [
          {
            launchId: s.session.launchId,
            regId: s.session.regId,
            name: findById(s.session.regId, registrations())?.label ?? s.session.regId,
            createdAt: s.session.createdAt,
          },
        ]
      : [],
  );
  systems.sort((a, b) => a.createdAt - b.createdAt);
  const locale = await getLocale();
  return (
    <Providers>
      {/* A patient's page: the whole document is in their language. */}
      <DocumentLang lang={locale} />
      <NextIntlClientProvider>
        <RecordSession
          launchIds={systems.map((s) => s.launchId)}
          idleMinutes={env().SESSION_IDLE_MINUTES}
          {...(systems[0] ? { relaunch: { regId: systems[0].regId, mode: 'patient' as const } } : {})}
        >
          <DisplayZone zone={zoneForRender(jar.get(ZONE_COOKIE))}>
            <MergedRecord systems={systems.map(({ launchId, name }) => ({ launchId, name }))} />
          </DisplayZone>
        </RecordSession>
      </NextIntlClientProvider>
    </Providers>
  );
}
