import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native or dynamic requires).
  serverExternalPackages: ['pg', '@electric-sql/pglite', 'pino', 'jose'],
};

export default nextConfig;
