'use client';

import dynamic from 'next/dynamic';

/**
 * The patient's view, its translations and the message formatter in a chunk of
 * their own: the chart page serves clinicians and patients, and a clinician's
 * chart never downloads the patient's code. Still rendered on the server.
 */
export const PatientViewLoader = dynamic(() =>
  import('./patient-view-in-language').then((m) => m.PatientViewInLanguage),
);
