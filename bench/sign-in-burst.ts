/**
 * A burst of wrong console passwords against a running app, each attempt from its own loopback
 * address (127.0.x.y, as many attackers would), while the app's readiness is polled every 100 ms:
 * how the attempts were answered, how long the burst took, and whether the app stayed ready (a
 * starved audit store refuses all patient data). Nothing is started here: run `npm start`, or any
 * build, and point the benchmark at it.
 *
 * Run: npm run bench:sign-in-burst -- [app URL, default http://localhost:3000] [attempts, 60] [username, nobody]
 */
import './support/runtime';
import http from 'node:http';

const [base = 'http://localhost:3000', countArg = '60', username = 'nobody'] = process.argv.slice(2);
const app = new URL(base);

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
}

function request(
  method: string,
  path: string,
  opts: { body?: string; headers?: Record<string, string | number>; localAddress?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: app.hostname,
        port: app.port,
        method,
        path,
        headers: opts.headers ?? {},
        ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

/** One sign-in as the console's form sends it: next-auth's CSRF token first, then the credentials. */
async function attempt(i: number): Promise<{ answer: string; ms: number }> {
  const localAddress = `127.0.${1 + Math.floor(i / 200)}.${2 + (i % 200)}`;
  const csrf = await request('GET', '/api/auth/csrf', { localAddress });
  const cookie = (csrf.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  const body = new URLSearchParams({ csrfToken, username, password: `wrong-${i}`, json: 'true' }).toString();
  const began = performance.now();
  const res = await request('POST', '/api/auth/callback/credentials', {
    localAddress,
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
      cookie,
      origin: app.origin,
    },
  });
  const error = /error=([A-Za-z]+)/.exec(`${res.text} ${String(res.headers.location ?? '')}`)?.[1];
  return { answer: `${res.status}${error ? ` ${error}` : ''}`, ms: performance.now() - began };
}

async function main(): Promise<void> {
  const count = Number(countArg);
  let polls = 0;
  const notReady: number[] = [];
  let polling = true;
  const pollStart = performance.now();
  const poller = (async () => {
    while (polling) {
      const r = await request('GET', '/api/ready').catch(() => ({ status: 0 }));
      polls++;
      if (r.status !== 200) notReady.push(performance.now() - pollStart);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const began = performance.now();
  const results = await Promise.all(Array.from({ length: count }, (_, i) => attempt(i)));
  const burstMs = performance.now() - began;
  // Coverage is checked against a 5 s bound: watch a while longer.
  await new Promise((resolve) => setTimeout(resolve, 8_000));
  polling = false;
  await poller;
  const answers: Record<string, number> = {};
  for (const r of results) answers[r.answer] = (answers[r.answer] ?? 0) + 1;
  console.log(`${count} sign-ins of "${username}" from ${count} addresses at once, against ${app.origin}`);
  console.log(
    `  burst took ${(burstMs / 1000).toFixed(1)} s; slowest answer ${(Math.max(...results.map((r) => r.ms)) / 1000).toFixed(1)} s`,
  );
  console.log(
    `  answers: ${Object.entries(answers)
      .map(([k, n]) => `${n} × ${k}`)
      .join(', ')}`,
  );
  console.log(
    `  /api/ready: ${notReady.length} of ${polls} polls not ready` +
      (notReady.length
        ? ` (from ${(notReady[0]! / 1000).toFixed(1)} s to ${(notReady.at(-1)! / 1000).toFixed(1)} s)`
        : ''),
  );
}

await main();
