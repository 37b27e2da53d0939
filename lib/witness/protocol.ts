/**
 * The C2SP tlog-witness `add-checkpoint` exchange, shared by the witness
 * server and the log's client:
 *
 *   POST <prefix>/add-checkpoint
 *   old <size>\n  <base64 consistency proof hash>\n …  \n  <checkpoint note>
 *
 * 200: cosignature lines; 409 (text/x.tlog.size): the witness's size, or the
 * same size with another root; 422: the proof does not verify; 403: no
 * trusted log signature; 404: unknown origin; 400: malformed.
 */

export const SIZE_CONTENT_TYPE = 'text/x.tlog.size';
export const MAX_PROOF_LINES = 63;
/** Read-only view of the latest cosigned checkpoint of a log (monitoring prefix; this product's addition). */
export const LATEST_PATH = '/latest';

export interface AddCheckpoint {
  readonly oldSize: number;
  readonly proof: readonly Buffer[];
  readonly note: string;
}

export function formatAddCheckpoint(r: AddCheckpoint): string {
  if (r.proof.length > MAX_PROOF_LINES) throw new RangeError('consistency proof is too long');
  return `old ${r.oldSize}\n${r.proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${r.note}`;
}

/** Parses a request body; throws a TypeError saying what is malformed. */
export function parseAddCheckpoint(body: string): AddCheckpoint {
  const blank = body.indexOf('\n\n');
  if (blank < 0) throw new TypeError('missing the empty line before the checkpoint');
  const [oldLine = '', ...proofLines] = body.slice(0, blank).split('\n');
  const m = /^old (0|[1-9][0-9]*)$/.exec(oldLine);
  if (!m) throw new TypeError('the first line must be "old <size>"');
  const oldSize = Number(m[1]);
  if (!Number.isSafeInteger(oldSize)) throw new TypeError('old size is too large');
  if (proofLines.length > MAX_PROOF_LINES) throw new TypeError('more than 63 consistency proof lines');
  const proof = proofLines.map((l) => {
    const h = Buffer.from(l, 'base64');
    if (h.length !== 32 || h.toString('base64') !== l)
      throw new TypeError('a proof line is not a base64 SHA-256 hash');
    return h;
  });
  if (oldSize === 0 && proof.length > 0)
    throw new TypeError('the proof must be empty when the old size is 0');
  return { oldSize, proof, note: body.slice(blank + 2) };
}

/** A 409 body: the size of the latest checkpoint the witness cosigned. */
export function parseSizeBody(text: string): number | undefined {
  const m = /^(0|[1-9][0-9]*)\n$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}
