/**
 * The production server on SIGTERM: it stops taking requests and runs the
 * shutdown hook registered at start (instrumentation.ts → lib/lifecycle.ts),
 * so the audit events it acknowledged are committed and covered by a signed
 * checkpoint when the process has exited.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditStore } from '../../lib/audit';
import { generateAuditKeys } from '../../lib/audit/crypto';
import { waitFor } from '../support/cluster';
import { openStoppedAppAudit } from '../support/stopped-app';

const PORT = 3560;

/** A raw HTTP/1.1 keep-alive connection: each `get` sends one request on it and reads the whole answer. */
async function keepAliveConnection(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.setEncoding('utf8');
  let closed = false;
  socket.once('close', () => (closed = true));
  return {
    get(pathname: string): Promise<string> {
      if (closed) return Promise.reject(new Error('the server closed the idle connection'));
      return new Promise((resolve, reject) => {
        let text = '';
        const done = () => {
          socket.off('data', onData).off('close', onClose);
          resolve(text);
        };
        const onData = (d: string) => {
          text += d;
          const head = text.indexOf('\r\n\r\n');
          const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, head));
          if (head >= 0 && length && text.length >= head + 4 + Number(length[1])) done();
          else if (
            head >= 0 &&
            /\r\ntransfer-encoding: *chunked/i.test(text.slice(0, head)) &&
            text.endsWith('0\r\n\r\n')
          )
            done();
        };
        const onClose = () => reject(new Error('the server closed the connection without answering'));
        socket.on('data', onData).once('close', onClose);
        socket.write(`GET ${pathname} HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: keep-alive\r\n\r\n`);
      });
    },
  };
}

describe('the app server on SIGTERM', () => {
  it('exits 0 with every acknowledged audit event committed and covered by a checkpoint', async () => {
    const { buildIfNeeded } = (await import(path.resolve('scripts/build-if-needed.mjs'))) as {
      buildIfNeeded: (o?: { quiet?: boolean }) => boolean;
    };
    buildIfNeeded({ quiet: true });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'server-shutdown-'));
    const url = `http://localhost:${PORT}`;
    const server = spawn(process.execPath, ['scripts/server.mjs'], {
      stdio: 'ignore',
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(PORT),
        APP_URL: url,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
    });
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    try {
      await waitFor(`${url}/api/health`, 120_000);
      // Each refused launch is an audit event of the app's own log, acknowledged before its answer.
      const refusals = await Promise.all(
        Array.from({ length: 5 }, async () => {
          const res = await fetch(
            `${url}/launch?iss=${encodeURIComponent('https://unknown.example/fhir')}&launch=x`,
            {
              redirect: 'manual',
            },
          );
          await res.arrayBuffer();
          return res.status;
        }),
      );
      expect(refusals.every((s) => s >= 300 && s < 500)).toBe(true);

      // A connection left idle longer than a balancer keeps its own idle connections (HAProxy's pool: 5 s) still
      // answers: the balancer, not the app, closes it. And one still idle at SIGTERM does not hold the exit up.
      const idle = await keepAliveConnection(PORT);
      expect(await idle.get('/api/health')).toMatch(/^HTTP\/1\.1 200 /);
      await new Promise((r) => setTimeout(r, 6_500));
      expect(await idle.get('/api/health')).toMatch(/^HTTP\/1\.1 200 /);

      // While it runs, nothing else opens its embedded audit database: not a verification from this process
      // (npm run audit:verify), not a second server on the same DATA_DIR, which refuses to start.
      await expect(
        createAuditStore({
          database: { kind: 'pglite', dataDir: path.join(dataDir, 'audit') },
          keys: generateAuditKeys(),
          checkpoints: path.join(dataDir, 'checkpoints'),
        }),
      ).rejects.toThrow(`in use by another process (pid ${server.pid}`);
      const second = spawn(process.execPath, ['scripts/server.mjs'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, NODE_ENV: 'production', PORT: String(PORT + 1), DATA_DIR: dataDir },
      });
      let stderr = '';
      second.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      expect(await new Promise((resolve) => second.once('exit', resolve))).toBe(1);
      expect(stderr).toContain('app: refusing to start: another process uses this DATA_DIR.');
      expect(stderr).toContain(`in use by another process (pid ${server.pid}`);
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);

    // The process is gone: its PGlite directory can be opened, with the same secrets, by this one.
    const store = await openStoppedAppAudit(dataDir);
    try {
      const head = await store.treeHead('app');
      expect(head.size).toBeGreaterThanOrEqual(5);
      expect(head.checkpoint?.size).toBe(head.size);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
  }, 300_000);
});

describe('the app server at start', () => {
  it('refuses EHR registrations it cannot use, naming the fault, before it serves anything', async () => {
    const { buildIfNeeded } = (await import(path.resolve('scripts/build-if-needed.mjs'))) as {
      buildIfNeeded: (o?: { quiet?: boolean }) => boolean;
    };
    buildIfNeeded({ quiet: true });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'registrations-'));
    const file = path.join(dataDir, 'registrations.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          id: 'epic-prod',
          label: 'Epic',
          issuer: 'https://fhir.example.org/R4',
          vendor: 'epicc',
          client: { type: 'public', clientId: 'x' },
        },
      ]),
    );
    const missing = path.join(dataDir, 'missing.json');
    for (const [registrations, fault] of [
      [file, `Invalid EHR registrations in ${file}`],
      [missing, `EHR_REGISTRATIONS names ${missing}, which cannot be read (ENOENT).`],
    ] as const) {
      const child = spawn(process.execPath, ['scripts/server.mjs'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: {
          ...process.env,
          NODE_ENV: 'production',
          PORT: String(PORT + 2),
          DATA_DIR: dataDir,
          EHR_REGISTRATIONS: registrations,
        },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // A server that started anyway is stopped, not left behind.
      const serving = setTimeout(() => child.kill('SIGKILL'), 30_000);
      expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
      clearTimeout(serving);
      expect(stderr).toContain('app: refusing to start: the EHR registrations are refused.');
      expect(stderr).toContain(fault);
    }
  }, 300_000);
});
