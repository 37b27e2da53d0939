import { withRouteDeps } from '@/lib/api/deps';
import { choosePatientRoute } from '@/lib/api/patient-choice';

export const dynamic = 'force-dynamic';

/** Binds a launch without a patient to the one the clinician chose, then opens the chart. */
export async function POST(
  req: Request,
  { params }: { params: Promise<{ launchId: string }> },
): Promise<Response> {
  const { launchId } = await params;
  return withRouteDeps((deps) => choosePatientRoute(req, launchId, deps));
}
