import type { SessionLabels } from './session-bar';

/** A translator of the `session` messages, on the server (getTranslations) or in the browser (useTranslations). */
interface SessionTranslator {
  (key: Exclude<keyof SessionLabels, 'countdown'>): string;
  raw(key: 'countdown'): unknown;
}

/**
 * The session bar's and idle warning's words in the reader's language, and that language (`session.lang`, so that the
 * controls, outside the page's `main`, are read in it); the countdown keeps its `{time}`.
 */
export function sessionLabels(t: SessionTranslator): SessionLabels {
  return {
    lang: t('lang'),
    signOut: t('signOut'),
    signingOut: t('signingOut'),
    signOutFailed: t('signOutFailed'),
    signOutRetry: t('signOutRetry'),
    stillThere: t('stillThere'),
    idleWarning: t('idleWarning'),
    countdown: String(t.raw('countdown')),
    staySignedIn: t('staySignedIn'),
    signOutNow: t('signOutNow'),
  };
}
