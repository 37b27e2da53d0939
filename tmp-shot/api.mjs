import { chromium } from '@playwright/test';
const [,, patient, ...routes] = process.argv;
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const p = await b.newPage();
await p.goto(`http://localhost:4900/launch/ehr?patient=${patient}&practitioner=sbx-dr-lee&personality=generic&frame=0&banner=1`);
await p.waitForURL(/\/chart\//, { timeout: 60000 });
const id = p.url().split('/').pop();
for (const r of routes) {
  const res = await p.request.get(`http://localhost:3900/api/chart/${id}/${r}`);
  const j = await res.json();
  console.log(r, res.status(), JSON.stringify(j.data?.period ?? j.period), (j.data?.groups ?? []).map(g => g.title ?? g.name).slice(0,40).join(' | '));
}
await b.close();
