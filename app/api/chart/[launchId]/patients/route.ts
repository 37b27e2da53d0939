import { routeDeps } from '@/lib/api/deps';
import { patientSearchRoute } from '@/lib/api/patient-choice';

export const dynamic = 'force-dynamic';

/** Patient search for a clinician's launch that has no patient yet (audited, with the clinician's token). */
export async function POST(
  req: Request,
  { params }: { params: Promise<{ launchId: string }> },
): Promise<Response> {
  return patientSearchRoute(req, (await params).launchId, await routeDeps());
}
