/**
 * npm run audit:check-export -- --keys <log public keys, PEM file> <export.ndjson>
 *
 * Checks a console NDJSON export as a third party can, with the log's public
 * key(s) and no secret: each line's record, leaf hash and salted commitment to
 * the whole AuditEvent, and its inclusion proof in the signed checkpoint it
 * carries. Prints one line per problem and a summary; exits 1 when any line
 * fails (or no key was given), 2 when the files cannot be read.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkExportedLine } from '@/lib/console/export-check';

function main(): number {
  const { values, positionals } = parseArgs({
    options: { keys: { type: 'string' } },
    allowPositionals: true,
  });
  const [file] = positionals;
  if (!file || !values.keys) {
    console.error('usage: npm run audit:check-export -- --keys <public keys PEM> <export.ndjson>');
    return 2;
  }
  let pems: string;
  let text: string;
  try {
    pems = readFileSync(values.keys, 'utf8');
    text = readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`cannot read: ${(e as Error).message}`);
    return 2;
  }
  const logKeys = (pems.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? []).map((p) =>
    createPublicKey(p),
  );
  if (logKeys.length === 0) {
    console.error(`${values.keys} holds no PEM public key`);
    return 2;
  }
  const counts = { proven: 0, absent: 0, failed: 0 };
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const check = checkExportedLine(line, { logKeys });
    if (!check.ok) {
      counts.failed++;
      console.log(
        `line ${i + 1} (${check.tenant ?? '?'} seq ${check.seq ?? '?'}): ${check.problems.join('; ')}`,
      );
    } else if (check.inclusion === 'proven') counts.proven++;
    else counts.absent++;
  });
  console.log(
    `${counts.proven} lines in a signed tree, ${counts.absent} not yet covered by a checkpoint when exported, ${counts.failed} failed`,
  );
  return counts.failed > 0 ? 1 : 0;
}

process.exitCode = main();
