/** The "Sandbox EHR" launch page and the embedded-EHR page that frames the app. */
import { PERSONALITIES, type SandboxDirectory } from '../contract';
import { escapeHtml, renderPage } from './html';

export function launchPage(directory: SandboxDirectory, appUrl: string): string {
  const practitioners = directory.practitioners
    .map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name)}</option>`)
    .join('');
  const patients = directory.patients
    .map(
      (p) =>
        `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name)} — ${escapeHtml(p.birthDate)} — ${escapeHtml(p.description)}</option>`,
    )
    .join('');
  const personalities = PERSONALITIES.map(
    (p) => `<option value="${escapeHtml(p)}">${escapeHtml(p)}</option>`,
  ).join('');
  return renderPage(
    'Sandbox EHR',
    `<header><h1>Sandbox EHR</h1><span>Synthetic patients only</span></header><main>
<p>Open the chart app (<code>${escapeHtml(appUrl)}</code>) as a clinician would from inside an EHR.</p>
<form method="get" action="/launch/ehr">
<label for="practitioner">Clinician</label><select id="practitioner" name="practitioner" required>${practitioners}</select>
<label for="patient">Patient</label><select id="patient" name="patient" required>${patients}</select>
<label for="personality">EHR personality</label><select id="personality" name="personality">${personalities}</select>
<fieldset><legend>Open the app</legend>
<label style="font-weight:400"><input type="radio" name="frame" value="0" checked> in this window</label>
<label style="font-weight:400"><input type="radio" name="frame" value="1"> embedded in the EHR (iframe)</label>
</fieldset>
<label style="font-weight:400"><input type="checkbox" name="banner" value="1" checked> the app must show a patient banner (need_patient_banner)</label>
<button type="submit">Launch</button>
</form>
<p class="hint">Patient portal (standalone) users sign in from the app itself; every sandbox password is documented on the sign-in page.</p>
</main>`,
  );
}

export interface FramePageInput {
  readonly practitionerName: string;
  readonly patientName: string;
  readonly personality: string;
  readonly appLaunchUrl: string;
}

export function framePage(input: FramePageInput): string {
  return renderPage(
    'Sandbox EHR — chart',
    `<header><h1>Sandbox EHR (${escapeHtml(input.personality)})</h1><span>${escapeHtml(input.practitionerName)}</span></header>
<div class="banner">Patient: <strong>${escapeHtml(input.patientName)}</strong></div>
<iframe title="Chart app" src="${escapeHtml(input.appLaunchUrl)}" allow="clipboard-write; fullscreen"></iframe>`,
  );
}
