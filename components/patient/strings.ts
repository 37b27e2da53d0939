/**
 * Every sentence the patient view writes, in one place so that a test can
 * hold them to a grade 8 reading level (readability.test.ts). Names of
 * headings and labels live here too.
 */
export const PATIENT_TEXT = {
  title: 'Your health record',
  intro: 'These are the results your health system has shared with this app.',
  careTeam: 'If you have questions about a result, talk to your care team.',
  notShown: 'Some results may not be shown by your health system.',
  resultsHeading: 'Your test results',
  vitalsHeading: 'Your vital signs',
  conditionsHeading: 'Your health conditions',
  noResults: 'No test results were found in this time.',
  noVitals: 'No vital signs were found in this time.',
  noConditions: 'No current health conditions are on your record.',
  noRange: 'No usual range was given for this test.',
  loadingResults: 'Loading your test results',
  loadingVitals: 'Loading your vital signs',
  loadingConditions: 'Loading your health conditions',
  loadingName: 'Loading your name',
  beingChecked: 'Your care team is still checking this.',
  signedOutError: 'You have been signed out. Please sign in again to see your record.',
  loadError: 'We could not load this part of your record. Please try again.',
  rangeBarLabel: 'Where your result sits against the usual range',
} as const;

/** "Active since Mar 5, 2024", or "On your record since …" when only the recording date is known. */
export const activeSince = (date: string) => `Active since ${date}`;
export const onRecordSince = (date: string) => `On your record since ${date}`;
export const latestOn = (date: string) => `Last checked on ${date}`;
export const usualRange = (range: string) => `Usual range: ${range}`;
/** "Higher than on Mar 5, 2024 (120 mg/dL)": the newest reading against the one before. */
export const comparedWith = (words: string, date: string, shown: string) => `${words} on ${date} (${shown})`;
