/**
 * Opens what the first launch would otherwise wait for: the audit store and
 * the EHRs' SMART discovery (readiness), the launch store and the chart
 * page's code (a chart page for a launch that does not exist), and the
 * console's sign-in page (on the first run it creates the `admin` account and
 * prints its password to the terminal). Nothing here is patient data, and
 * nothing is recorded in the audit log.
 */
export async function warmUp(appUrl) {
  for (const path of ['/api/ready', '/', '/console/sign-in', '/chart/warm-up-0000000000000']) {
    try {
      await (await fetch(`${appUrl}${path}`)).arrayBuffer();
    } catch {
      /* readiness reports itself; the app is up either way */
    }
  }
}
