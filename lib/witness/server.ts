import { createPublicKey, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { openCheckpoint } from '@/lib/audit/checkpoint';
import { verifyConsistency } from '@/lib/audit/merkle';
import { cosign, cosigner, formatVkey, noteBody } from './cosignature';
import { LATEST_PATH, parseAddCheckpoint, SIZE_CONTENT_TYPE } from './protocol';
import { WitnessState } from './state';

export interface WitnessOptions {
  /** Key name, a schema-less URL such as witness.example.org/w1. */
  readonly name: string;
  readonly privateKey: KeyObject;
  readonly dataDir: string;
  /** Origins this witness accepts start with this prefix (the audit store's: `smart-chart-audit/`). */
  readonly originPrefix: string;
  /** Public keys of the log signers it trusts (the current key and rotated ones). */
  readonly logKeys: readonly KeyObject[];
  readonly now?: () => number;
}

const MAX_BODY = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly contentType = 'text/plain; charset=utf-8',
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'request body too large\n');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A C2SP tlog-witness for the audit store's logs. It cosigns a checkpoint
 * only when it extends the latest one it cosigned for that origin (a
 * consistency proof from its size), so a log cut short, rewritten or forked
 * after it was cosigned is refused, and the refusal is what the log's
 * operator sees.
 */
export function witnessHandler(o: WitnessOptions) {
  const state = new WitnessState(o.dataDir);
  const self = cosigner(o.name, createPublicKey(o.privateKey));
  const now = o.now ?? Date.now;

  async function addCheckpoint(body: string): Promise<string> {
    let req;
    try {
      req = parseAddCheckpoint(body);
    } catch (e) {
      throw new HttpError(400, `${(e as Error).message}\n`);
    }
    const origin = req.note.slice(0, req.note.indexOf('\n'));
    if (!origin.startsWith(o.originPrefix)) throw new HttpError(404, 'unknown log origin\n');
    const cp = openCheckpoint(req.note, o.logKeys);
    if (!cp) throw new HttpError(403, 'no signature from a trusted log key\n');
    if (req.oldSize > cp.size) throw new HttpError(400, 'old size is larger than the checkpoint size\n');
    return state.exclusive(origin, async () => {
      const last = await state.read(origin);
      const lastSize = last?.size ?? 0;
      if (req.oldSize !== lastSize) throw new HttpError(409, `${lastSize}\n`, SIZE_CONTENT_TYPE);
      if (last) {
        const lastRoot = Buffer.from(last.root, 'base64');
        if (cp.size === last.size && !cp.root.equals(lastRoot))
          throw new HttpError(409, `${lastSize}\n`, SIZE_CONTENT_TYPE);
        if (!verifyConsistency(last.size, cp.size, lastRoot, cp.root, req.proof))
          throw new HttpError(
            422,
            'the consistency proof does not verify against the last cosigned checkpoint\n',
          );
      } else if (req.proof.length > 0) {
        throw new HttpError(400, 'the proof must be empty when the old size is 0\n');
      }
      const body = noteBody(req.note) as string;
      const line = cosign(body, o.name, o.privateKey, Math.floor(now() / 1000));
      const appSig = req.note.slice(body.length + 1);
      await state.write({
        origin,
        size: cp.size,
        root: cp.root.toString('base64'),
        cosigned: `${body}\n${appSig}${appSig.endsWith('\n') ? '' : '\n'}${line}`,
      });
      return line;
    });
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://witness');
    const send = (status: number, text: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(text);
    };
    try {
      if (req.method === 'POST' && url.pathname === '/add-checkpoint') {
        send(200, await addCheckpoint(await readBody(req)));
      } else if (req.method === 'GET' && url.pathname === LATEST_PATH) {
        const s = await state.read(url.searchParams.get('origin') ?? '');
        if (s) send(200, s.cosigned);
        else send(404, 'no checkpoint cosigned for this origin\n');
      } else if (req.method === 'GET' && url.pathname === '/') {
        send(200, `${formatVkey(self)}\n`);
      } else {
        send(404, 'not found\n');
      }
    } catch (e) {
      if (e instanceof HttpError) send(e.status, e.message, e.contentType);
      else {
        console.error(
          JSON.stringify({ event: 'witness-error', code: (e as { code?: string }).code ?? 'error' }),
        );
        send(500, 'internal error\n');
      }
    }
  };
}

export function createWitnessServer(o: WitnessOptions): Server {
  const handle = witnessHandler(o);
  return createServer((req, res) => void handle(req, res));
}
