import { importedBrands } from '@/lib/brands';
import { cachedLogo } from '@/lib/brands/logo';

/**
 * The logo of the index-th imported brand, fetched from its https URL by the
 * server (lib/brands/logo.ts) and served as an inert image: no script, no sniffing.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ index: string }> }) {
  const { index } = await params;
  const brand = /^\d{1,6}$/.test(index) ? importedBrands()[Number(index)] : undefined;
  const logo = brand?.logo === undefined ? undefined : await cachedLogo(brand.logo);
  if (logo === undefined) return new Response(null, { status: 404 });
  return new Response(logo.bytes, {
    headers: {
      'content-type': logo.type,
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=86400',
    },
  });
}
