import { cosignaturesOf, parseVkey, type Cosigner } from '@/lib/witness/cosignature';
import { formatAddCheckpoint, LATEST_PATH, parseSizeBody } from '@/lib/witness/protocol';
import type { SignedCheckpoint } from './checkpoint';
import { AuditIntegrityError } from './errors';

export interface Witness {
  /** Submission and monitoring prefix, e.g. https://witness.example.org (no trailing slash). */
  readonly url: string;
  readonly cosigner: Cosigner;
}

export interface WitnessPolicy {
  readonly witnesses: readonly Witness[];
  /** Cosignatures a checkpoint needs to be final (1..witnesses.length). */
  readonly quorum: number;
  readonly timeoutMs?: number;
}

/** Parses AUDIT_WITNESSES: entries separated by commas or newlines, each `<url> <vkey>`. */
export function parseWitnesses(text: string | undefined, quorum?: number): WitnessPolicy | undefined {
  const entries = (text ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) return undefined;
  const witnesses = entries.map((e) => {
    const [url = '', vkey = '', ...rest] = e.split(/\s+/);
    if (!/^https?:\/\//.test(url) || !vkey || rest.length > 0)
      throw new TypeError(`each witness must be "<http(s) URL> <vkey>", got "${e.slice(0, 80)}"`);
    return { url: url.replace(/\/+$/, ''), cosigner: parseVkey(vkey) };
  });
  const q = quorum ?? witnesses.length;
  if (q < 1 || q > witnesses.length) throw new TypeError(`the witness quorum must be 1..${witnesses.length}`);
  return { witnesses, quorum: q };
}

/** What the log knows each witness has cosigned, per tenant: largest size by witness name. */
export type WitnessMemory = Map<string, number>;

/** Reads the largest size each witness has cosigned from notes the log stored (database or outside). */
export function rememberCosigned(
  memory: WitnessMemory,
  notes: readonly SignedCheckpoint[],
  p: WitnessPolicy,
): void {
  const trusted = p.witnesses.map((w) => w.cosigner);
  for (const cp of notes)
    for (const name of cosignaturesOf(cp.note, trusted).valid.keys())
      memory.set(name, Math.max(memory.get(name) ?? 0, cp.size));
}

type Outcome = { line: string } | { failure: string };

/** The connection was closed or reset before an answer (not a timeout, not a refused connection). */
function closedUnderUs(e: unknown): boolean {
  const code = (e as { cause?: { code?: unknown } }).cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'UND_ERR_CLOSED' || code === 'EPIPE';
}

/**
 * Sends a signed checkpoint to every witness (old size from memory, then the
 * witness's own size after a 409) and returns the cosigned note when a
 * quorum answered. A witness that holds a larger tree or refuses the proof
 * means this log is not the one it cosigned (truncated, rewritten, forked):
 * an AuditIntegrityError. A witness that reports less than it is known to
 * have cosigned lost its own store: it does not count, and is named.
 */
export async function collectCosignatures(
  p: WitnessPolicy,
  signed: SignedCheckpoint,
  memory: WitnessMemory,
  proofFrom: (oldSize: number) => Promise<Buffer[]>,
): Promise<{ note: string; failures: string[] }> {
  const integrity = (why: string, seq?: number) =>
    new AuditIntegrityError(`refusing to sign ${signed.tenant}: ${why}`, {
      code: 'witness-refused',
      tenant: signed.tenant,
      ...(seq !== undefined ? { seq } : {}),
    });

  async function ask(w: Witness): Promise<Outcome> {
    const name = w.cosigner.name;
    const post = async (oldSize: number): Promise<Response> => {
      const body = formatAddCheckpoint({
        oldSize,
        proof: oldSize === 0 ? [] : await proofFrom(oldSize),
        note: signed.note,
      });
      const send = () =>
        fetch(`${w.url}/add-checkpoint`, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(p.timeoutMs ?? 2000),
        });
      try {
        return await send();
      } catch (e) {
        // A pooled connection the witness closed as the request went out: sent again on a new one. Safe, as a
        // submission the witness did take is answered on resubmission by a 409 naming its size (handled below).
        if (!closedUnderUs(e)) throw e;
        return send();
      }
    };
    const known = memory.get(name) ?? 0;
    let res = await post(Math.min(known, signed.size));
    if (res.status === 409) {
      const theirs = parseSizeBody(await res.text());
      if (theirs === undefined) return { failure: `${name}: malformed 409 answer` };
      if (theirs > signed.size)
        throw integrity(
          `witness ${name} has cosigned tree size ${theirs}, but the log holds ${signed.size} events (the log was cut short or replaced)`,
          signed.size,
        );
      if (theirs === signed.size && known === signed.size)
        throw integrity(
          `witness ${name} has cosigned another root at tree size ${theirs} (the log was forked)`,
          signed.size,
        );
      if (theirs < known)
        return {
          failure: `${name}: the witness reports tree size ${theirs} but cosigned ${known} before (its store was rolled back)`,
        };
      res = await post(theirs);
      if (res.status === 409)
        throw integrity(
          `witness ${name} has cosigned another root at tree size ${theirs} (the log was forked)`,
          theirs,
        );
    }
    if (res.status === 422)
      throw integrity(
        `witness ${name} refused the consistency proof: the log does not extend the checkpoint it cosigned (rewritten or forked)`,
      );
    if (res.status !== 200) return { failure: `${name}: HTTP ${res.status}` };
    const line = await res.text();
    const body = signed.note.slice(0, signed.note.indexOf('\n\n') + 2);
    if (!cosignaturesOf(`${body}${line}`, [w.cosigner]).valid.has(name))
      return { failure: `${name}: the answer is not a valid cosignature by its key` };
    memory.set(name, signed.size);
    return { line: line.endsWith('\n') ? line : `${line}\n` };
  }

  const settled = await Promise.allSettled(p.witnesses.map(ask));
  const lines: string[] = [];
  const failures: string[] = [];
  for (const [i, s] of settled.entries()) {
    if (s.status === 'rejected') {
      if (s.reason instanceof AuditIntegrityError) throw s.reason;
      const code =
        (s.reason as { cause?: { code?: string }; name?: string }).cause?.code ?? (s.reason as Error).name;
      failures.push(`${p.witnesses[i]?.cosigner.name ?? '?'}: unreachable (${code})`);
    } else if ('line' in s.value) lines.push(s.value.line);
    else failures.push(s.value.failure);
  }
  if (lines.length < p.quorum)
    throw new WitnessQuorumError(
      signed.tenant,
      `${lines.length} of ${p.quorum} cosignatures: ${failures.join('; ')}`,
    );
  return { note: `${signed.note}${signed.note.endsWith('\n') ? '' : '\n'}${lines.join('')}`, failures };
}

/** Not enough witnesses cosigned (down, unreachable, or rolled back): retried; unavailable past the bound. */
export class WitnessQuorumError extends Error {
  readonly code = 'witness-quorum';
  constructor(
    readonly tenant: string,
    detail: string,
  ) {
    super(`no witness quorum for ${tenant}: ${detail}`);
    this.name = 'WitnessQuorumError';
  }
}

/** The latest checkpoint a witness cosigned for a tenant's log, for verify; undefined when it has none. */
export async function latestCosigned(
  w: Witness,
  origin: string,
  timeoutMs = 5000,
): Promise<string | undefined> {
  const res = await fetch(`${w.url}${LATEST_PATH}?origin=${encodeURIComponent(origin)}`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
}
