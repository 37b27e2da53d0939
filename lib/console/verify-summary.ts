import type { VerifyReport } from '../audit/verify';

/**
 * A verification run, condensed for the `console-verify` audit record, whose
 * `detail` is then the persistent "last result" per chain:
 * `tenant=ok|bad@seq:events;…`.
 */
export function summarizeVerify(report: Pick<VerifyReport, 'tenants'>): string {
  return report.tenants
    .map(
      (t) =>
        `${t.tenant}=${t.problems.length === 0 && t.firstBadSeq === undefined ? 'ok' : `bad@${t.firstBadSeq ?? '?'}`}:${t.events}`,
    )
    .join(';');
}

export interface ChainResult {
  readonly tenant: string;
  readonly ok: boolean;
  readonly firstBadSeq?: string;
  readonly events: number;
}

export function parseVerifySummary(detail: string): ChainResult[] {
  return detail
    .split(';')
    .filter(Boolean)
    .flatMap((part) => {
      const m = /^([^=]+)=(ok|bad@([^:]+)):(\d+)$/.exec(part);
      if (!m) return [];
      return [
        {
          tenant: m[1]!,
          ok: m[2] === 'ok',
          ...(m[3] !== undefined ? { firstBadSeq: m[3] } : {}),
          events: Number(m[4]),
        },
      ];
    });
}
