/** The sandbox's login page (patient portal or clinician) and the clinician's patient picker. */
import { SANDBOX_PASSWORD } from '../config';
import type { SandboxDirectory } from '../contract';
import { escapeHtml, renderPage } from '../launch/html';

function options(items: readonly { readonly id: string; readonly label: string }[]): string {
  return items
    .map((item) => `<option value="${escapeHtml(item.id)}">${escapeHtml(item.label)}</option>`)
    .join('');
}

export function loginPage(
  uid: string,
  clientName: string,
  directory: SandboxDirectory,
  error?: string,
): string {
  const patients = options(directory.patients.map((p) => ({ id: p.id, label: `${p.name} (${p.id})` })));
  const practitioners = options(
    directory.practitioners.map((p) => ({ id: p.id, label: `${p.name} (${p.id})` })),
  );
  return renderPage(
    'Sign in to the Sandbox EHR',
    `<header><h1>Sandbox EHR — sign in</h1></header><main>
<p><strong>${escapeHtml(clientName)}</strong> wants to access health records. Sign in to continue.</p>
${error ? `<p role="alert" class="banner">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="username">Who are you?</label>
<select id="username" name="username" required>
<optgroup label="Patient portal">${patients}</optgroup>
<optgroup label="Clinicians">${practitioners}</optgroup>
</select>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<p class="hint">Every sandbox user's password is <code>${escapeHtml(SANDBOX_PASSWORD)}</code>. The username is the patient or practitioner id.</p>
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Cancel</button></form>
</main>`,
  );
}

export function patientPickerPage(uid: string, userName: string, directory: SandboxDirectory): string {
  const rows = directory.patients
    .map(
      (p, index) =>
        `<div><input type="radio" name="patient" id="patient-${index}" value="${escapeHtml(p.id)}" required>
<label for="patient-${index}" style="display:inline;font-weight:400">${escapeHtml(p.name)} — ${escapeHtml(p.birthDate)}, ${escapeHtml(p.gender)} <span class="hint">${escapeHtml(p.description)}</span></label></div>`,
    )
    .join('');
  return renderPage(
    'Select a patient',
    `<header><h1>Sandbox EHR — select a patient</h1><span>${escapeHtml(userName)}</span></header><main>
<form method="post" action="/interaction/${escapeHtml(uid)}/patient"><fieldset><legend>Patient</legend>${rows}</fieldset>
<button type="submit">Open chart</button></form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit">Cancel</button></form>
</main>`,
  );
}
