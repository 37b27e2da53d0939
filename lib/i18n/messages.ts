import en from '@/messages/en.json';
import es from '@/messages/es.json';
import type { Locale } from './locale';

/** The words of the patient-facing pages, one file per language (messages/<locale>.json). */
export type Messages = typeof en;

export const MESSAGES: { readonly [L in Locale]: Messages } = { en, es };
