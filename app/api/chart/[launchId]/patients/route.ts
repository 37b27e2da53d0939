import { withRouteDeps } from '@/lib/api/deps';
import { patientSearchRoute } from '@/lib/api/patient-choice';

export const dynamic = 'force-dynamic';

/** Patient search for a clinician's launch that has no patient yet (audited, with the clinician's token). */
export async function POST(
  req: Request,
  { params }: { params: Promise<{ launchId: string }> },
): Promise<Response> {
  const { launchId } = await params;
  return withRouteDeps((deps) => patientSearchRoute(req, launchId, deps));
}
