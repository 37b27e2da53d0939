import { setTimeout as sleep } from 'node:timers/promises';
import type { Metadata } from 'next';
import { cache, Suspense, type ReactNode } from 'react';
import { dehydrate, HydrationBoundary, QueryClient } from '@tanstack/react-query';
import { cookies, headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { getLocale, getMessages, getTimeZone, getTranslations } from 'next-intl/server';
import { chartKeys } from '@/components/chart/api/chart-keys';
import { ChartView } from '@/components/chart/chart-view';
import { DisplayZone } from '@/components/chart/display-zone';
import { PatientSearchLoader } from '@/components/console/patient-search-loader';
import { DocumentLang } from '@/components/patient/document-lang';
import { PatientViewLoader } from '@/components/patient/patient-view-loader';
import { Providers } from '@/components/providers';
import { SessionBar } from '@/components/session/session-bar';
import { sessionLabels } from '@/components/session/session-labels';
import { routeDeps } from '@/lib/api/deps';
import { recordChartPageWithoutLaunch, refuseCrossSite } from '@/lib/api/launch-guard';
import { prefetchChart } from '@/lib/api/prefetch';
import { chartAudience } from '@/lib/chart/audience';
import { ZONE_COOKIE, zoneForRender } from '@/lib/chart/display-zone';
import { env } from '@/lib/env';
import { isChartPageLoad, isFrameLoad } from '@/lib/http/request';
import { findById, registrations } from '@/lib/smart/registrations';
import { isLaunchId, type LaunchSession, readSession, type SessionState } from '@/lib/smart/session';
import { fetchStyle } from '@/lib/smart/style';
import { getLaunchStore } from '@/lib/state';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

interface Props {
  readonly params: Promise<{ launchId: string }>;
}

/** A patient's ended chart, in their language, with the way back to the same health system. */
async function PatientSessionEnded({
  idle,
  session,
}: {
  readonly idle: boolean;
  readonly session: LaunchSession;
}) {
  const [t, locale] = await Promise.all([getTranslations(), getLocale()]);
  const reg = findById(session.regId, registrations());
  const again = reg !== undefined && session.mode === 'patient' && reg.standalone.includes('patient');
  return (
    <main lang={locale} className="mx-auto max-w-xl space-y-2 px-4 py-16">
      <DocumentLang lang={locale} />
      <h1 className="text-2xl font-semibold">{t('sessionEnded.title')}</h1>
      <p className="text-slate-700">
        {t(idle ? 'sessionEnded.idle' : 'sessionEnded.ended')} {t('signedOut.nothingKept')}
      </p>
      {again ? (
        <a
          className="mt-4 inline-block rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-700"
          href={`/launch?ehr=${encodeURIComponent(reg.id)}&mode=patient`}
        >
          {t('signedOut.signInAgain', { name: reg.label })}
        </a>
      ) : null}
    </main>
  );
}

/** The answer to another site's request for the chart: recorded, and nothing of the patient in it. */
async function notOpened(launchId: string, sent: Headers): Promise<ReactNode> {
  const req = new Request(new URL(`/chart/${encodeURIComponent(launchId)}`, env().APP_URL), {
    headers: new Headers(sent),
  });
  await refuseCrossSite(req, launchId, await routeDeps()).catch(() => undefined);
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">Not opened</h1>
      <p className="mt-2 text-slate-700">Another site asked for this chart, so nothing was shown.</p>
    </main>
  );
}

/** What the data routes record and end for a request without an active launch, for this page's own request. */
async function recordPageRefusal(launchId: string, state: SessionState): Promise<void> {
  const req = new Request(new URL(`/chart/${encodeURIComponent(launchId)}`, env().APP_URL), {
    headers: new Headers(await headers()),
  });
  await recordChartPageWithoutLaunch(req, launchId, state, await routeDeps(), Date.now());
}

/**
 * This request's session of the launch, read once for the page and its title (React's per-request cache);
 * undefined when the launch store cannot be reached: no session can be read, so nothing is shown, and the chart
 * comes back with the store.
 */
const pageSession = cache(async (launchId: string): Promise<SessionState | undefined> => {
  const jar = await cookies();
  try {
    return await readSession(new Map(jar.getAll().map((c) => [c.name, c.value])), launchId, {
      env: env(),
      launches: await getLaunchStore(),
    });
  } catch (cause) {
    log().warn({ event: 'stores-unavailable', cause: (cause as { code?: string }).code ?? 'unknown' });
    return undefined;
  }
});

/**
 * The page's title: which of the page's kinds this request gets (the chart, a patient's record in their language,
 * the search for a patient, an ended session), never whose chart it is. Read as the page reads it, and nothing is
 * read of the session for another site's request.
 */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { launchId } = await params;
  if (!isLaunchId(launchId)) return {};
  const sent = await headers();
  if (!isChartPageLoad(sent)) return { title: 'Not opened' };
  const state = await pageSession(launchId);
  if (state === undefined) return { title: 'Chart unavailable' };
  const forPatient =
    state.status !== 'none' && chartAudience(state.session.user, state.session.mode) === 'patient';
  if (state.status !== 'active')
    return { title: forPatient ? (await getTranslations('sessionEnded'))('title') : 'Session ended' };
  if (!state.session.framed && isFrameLoad(sent)) return { title: 'Not opened' };
  if (state.session.patient === undefined) return { title: 'Find a patient' };
  return { title: forPatient ? (await getTranslations('patient'))('title') : 'Chart' };
}

/**
 * The chart of the patient in this launch's context. The page itself carries
 * no patient data: the widgets fetch it through the audited API routes.
 */

export default async function ChartPage({ params }: Props) {
  const { launchId } = await params;
  if (!isLaunchId(launchId)) notFound();
  const sent = await headers();
  // Before the session is read: nothing is fetched, disclosed or kept alive for another site's request.
  if (!isChartPageLoad(sent)) return notOpened(launchId, sent);
  const state = await pageSession(launchId);
  if (state === undefined)
    return (
      <main className="mx-auto max-w-xl px-4 py-16">
        <h1 className="text-2xl font-semibold">The chart cannot be opened right now</h1>
        <p className="mt-2 text-slate-700">
          The app cannot reach its session records at the moment. Reload this page in a minute; if it goes on,
          relaunch the app from your EHR.
        </p>
      </main>
    );
  if (state.status !== 'active') {
    await recordPageRefusal(launchId, state).catch(() => undefined);
    if (state.status !== 'none' && chartAudience(state.session.user, state.session.mode) === 'patient')
      return <PatientSessionEnded idle={state.status === 'idle-timeout'} session={state.session} />;
    return (
      <main className="mx-auto max-w-xl px-4 py-16">
        <h1 className="text-2xl font-semibold">Your session has ended</h1>
        <p className="mt-2 text-slate-700">
          {state.status === 'idle-timeout'
            ? 'You were signed out after a period of inactivity. '
            : state.status === 'ended' && state.reason === 'displaced'
              ? 'This chart was closed because many newer charts were opened in this browser. '
              : state.status === 'ended'
                ? 'This chart was closed: you signed out, or its session ended. '
                : 'This chart is no longer open in this browser. '}
          Relaunch the app from your EHR to see the chart again.
        </p>
      </main>
    );
  }
  const session = state.session;
  // A launch opened in a window of its own never runs in a frame: another site framing it is refused.
  if (!session.framed && isFrameLoad(sent)) return notOpened(launchId, sent);
  const reg = findById(session.regId, registrations());
  if (session.patient === undefined) {
    // A clinician signed in outside the EHR and the EHR named no patient: find one here.
    const api = `/api/chart/${encodeURIComponent(launchId)}`;
    return (
      <Providers>
        <SessionBar launchId={launchId} idleMinutes={env().SESSION_IDLE_MINUTES}>
          <main className="mx-auto max-w-4xl space-y-4 px-4 py-8">
            <h1 className="text-2xl font-semibold">Find a patient</h1>
            <p className="text-slate-700">
              {reg?.label ?? 'The EHR'} did not say which patient to open. Search by name, birth date or MRN;
              the chart opens for the patient you choose, and every search is recorded under your name.
            </p>
            <PatientSearchLoader searchUrl={`${api}/patients`} openAction={`${api}/patient-choice`} />
          </main>
        </SessionBar>
      </Providers>
    );
  }
  const userLabel = session.userName ?? session.user?.split('/').slice(-2).join('/') ?? 'Signed-in user';
  // A standalone launch can be started again from the signed-out page; an EHR launch only from the EHR.
  const standaloneMode = session.mode === 'patient' || session.mode === 'provider' ? session.mode : undefined;
  // Patients read their record in their language (lib/i18n); the clinician's chart stays English.
  const forPatient = chartAudience(session.user, session.mode) === 'patient';
  const [t, language] = forPatient
    ? await Promise.all([
        getTranslations('session'),
        Promise.all([getLocale(), getMessages(), getTimeZone()]).then(([locale, messages, timeZone]) => ({
          locale,
          messages,
          timeZone,
        })),
      ])
    : [undefined, undefined];
  // Times in the browser's zone, once it has said which (the server's until then).
  const zone = zoneForRender((await cookies()).get(ZONE_COOKIE)?.value);
  const firstData = Promise.all([
    fetchStyle(session.styleUrl, session.iss),
    prefetchChart(launchId, new Headers(await headers())),
  ]);
  const chart = ([styleVars, first]: Awaited<typeof firstData>) => {
    // The first data travels in the HTML; the widgets' queries start from it instead of asking again.
    const queryClient = new QueryClient();
    for (const { widget, range, body } of first)
      queryClient.setQueryData(chartKeys.widget(launchId, widget, range), body);
    return (
      <Providers>
        {/* The whole document is the patient's language, the session bar's notices included. */}
        {language ? <DocumentLang lang={language.locale} /> : null}
        <HydrationBoundary state={dehydrate(queryClient)}>
          <SessionBar
            launchId={launchId}
            idleMinutes={env().SESSION_IDLE_MINUTES}
            anotherPatientHref={
              session.mode === 'provider'
                ? `/launch?ehr=${encodeURIComponent(session.regId)}&mode=provider`
                : undefined
            }
            relaunch={standaloneMode && { regId: session.regId, mode: standaloneMode }}
            {...(forPatient ? {} : { skipTo: { href: '#chart-main', label: 'Skip to chart' } as const })}
            {...(t ? { labels: sessionLabels(t) } : {})}
          >
            <DisplayZone zone={zone}>
              {language ? (
                <PatientViewLoader launchId={launchId} language={language} />
              ) : (
                <ChartView
                  launchId={launchId}
                  patientId={session.patient}
                  needPatientBanner={session.needPatientBanner}
                  userLabel={userLabel}
                  ehrLabel={reg?.label ?? 'EHR'}
                  styleVars={styleVars}
                />
              )}
            </DisplayZone>
          </SessionBar>
        </HydrationBoundary>
      </Providers>
    );
  };
  // An EHR that answers within FIRST_DATA_WAIT_MS gets the whole chart in one piece (the page it came from stays in
  // view meanwhile). A slower one gets a placeholder, and the chart streamed into the same page after it.
  const quick = await within(firstData, FIRST_DATA_WAIT_MS);
  if (quick) return chart(quick);
  return (
    <Suspense fallback={<ChartLoading />}>
      <Later data={firstData} render={chart} />
    </Suspense>
  );
}

/**
 * How long the page waits for the chart's first data before it sends a placeholder. React keeps a streamed
 * placeholder on screen for at least 300 ms, so a placeholder sent at once would hold back a chart whose data comes a
 * moment later; one that shows only when the data is slow costs nothing then.
 */
const FIRST_DATA_WAIT_MS = 800;

/** The promise's value if it settles within `ms`, else undefined; a rejection within `ms` is thrown. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  const stop = new AbortController();
  const late = sleep(ms, undefined, { signal: stop.signal }).catch(() => undefined);
  try {
    return await Promise.race([promise, late]);
  } finally {
    stop.abort();
  }
}

async function Later<T>({
  data,
  render,
}: {
  readonly data: Promise<T>;
  readonly render: (d: T) => ReactNode;
}) {
  return render(await data);
}

function ChartLoading() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-6" aria-busy="true">
      <div
        role="progressbar"
        aria-label="Loading the chart"
        className="h-20 animate-pulse rounded-lg bg-slate-200 motion-reduce:animate-none"
      />
    </main>
  );
}
