import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The app's server compresses responses itself (scripts/compress.mjs): the chart's data routes too, and never the
  // audit console's pages. Next.js's own compression would take the pages first and skip the data.
  compress: false,
  // `npm test` type-checks the whole project as its own stage; the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Server-only packages that must not be bundled (native or dynamic requires).
  serverExternalPackages: ['pg', '@electric-sql/pglite', 'pino', 'jose'],
};

// The patient-facing pages' language (lib/i18n/request.ts): no locale in the URL.
export default createNextIntlPlugin('./lib/i18n/request.ts')(nextConfig);
