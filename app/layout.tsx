import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  // Each page names its kind ("Chart – SMART Chart"), never whose chart it is.
  title: { default: 'SMART Chart', template: '%s – SMART Chart' },
  description: 'Patient chart for clinicians, launched from the EHR.',
  referrer: 'no-referrer',
  // A chart holds patient data behind a launch: nothing here is for search engines (see also public/robots.txt).
  robots: { index: false, follow: false },
  icons: {
    icon: [
      { url: '/icon.svg', type: 'image/svg+xml' },
      { url: '/icon-48.png', sizes: '48x48' },
    ],
    apple: '/icon-192.png',
  },
  manifest: '/manifest.webmanifest',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/**
 * English, the clinician's chart's language: a page in a patient's language sets the document's own once it runs
 * (components/patient/document-lang.tsx), since the layout cannot see a page's locale.
 */
export default function RootLayout({ children }: { readonly children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">{children}</body>
    </html>
  );
}
