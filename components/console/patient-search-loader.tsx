'use client';

import dynamic from 'next/dynamic';

/**
 * The patient search in a chunk of its own, for pages that show it only
 * sometimes: the chart page needs it only when the EHR named no patient.
 */
export const PatientSearchLoader = dynamic(() => import('./patient-search').then((m) => m.PatientSearch));
