// `airlock verify BUNDLE`: checks an exported bundle (folder or .zip) offline, with no workspace and no password.
// Exit code 0 only if every check holds, 1 if any fails; one line per failure, naming the file.
import type { Command } from 'commander';
import type { AirlockService } from '../core/api/service';
import { AirlockError } from '../core/errors';
import { readBundleCheckpoint } from '../core/export/bundle/read-checkpoint';
import { tierText, verifyBundle, type BundleVerification } from '../core/export/bundle/verify';
import { verifyWorkspaceAudit } from '../core/govern/audit-session';
import type { AuditVerifyResult } from '../shared/contract';
import type { GlobalOptions } from './context';

const utc = (iso: string): string => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : iso);

export function verificationText(bundle: string, v: BundleVerification): string {
  const lines = [`Bundle ${v.bundleId ?? '(no readable manifest)'} at ${bundle}`];
  if (v.summary) {
    const s = v.summary;
    lines.push(`  dataset sha256 ${s.datasetSha256}`);
    lines.push(`  release tier: ${tierText(s.tier)} (needs ${s.requiredApprovals} approval${s.requiredApprovals === 1 ? '' : 's'})`);
    for (const a of s.approvals) lines.push(`  signed by ${a.printedName} (${a.username}) on ${utc(a.signedAt)}: ${a.meaning}  [key ${a.keyFingerprint.slice(0, 16)}]`);
    if (s.exporter) lines.push(`  exported by ${s.exporter.printedName} (${s.exporter.username})  [key ${s.exporter.keyFingerprint.slice(0, 16)}]`);
    if (s.checkpoint) lines.push(`  audit chain of workspace ${s.checkpoint.workspaceId} at entry #${s.checkpoint.seq}, head ${s.checkpoint.headHash.slice(0, 16)} (checkpoint of ${utc(s.checkpoint.ts)})`);
    lines.push('  Compare the key fingerprints with the ones the hospital publishes: the bundle cannot vouch for its own keys.');
  }
  if (v.ok) lines.push(`✓ verified (${v.checked.files} files, ${v.checked.signatures} signatures)`);
  else {
    for (const f of v.failures) lines.push(`✗ ${f.message}`);
    lines.push(`✗ verification failed: ${v.failures.length} problem${v.failures.length === 1 ? '' : 's'}`);
  }
  return lines.join('\n');
}

export function addVerifyCommand(program: Command): void {
  program
    .command('verify <bundle>')
    .option('--json', 'print JSON instead of text')
    .description('check an exported bundle (folder or .zip) offline: every hash, no missing or extra file, every signature, the tier’s policy; exit 1 if any check fails')
    .action((bundle: string, o: { json?: boolean }) => {
      const json = o.json === true || program.opts<GlobalOptions>().json === true;
      const v = verifyBundle(bundle);
      process.stdout.write(`${json ? JSON.stringify(v, null, 2) : verificationText(bundle, v)}\n`);
      process.exitCode = v.ok ? 0 : 1;
    });
}

/** `--checkpoint`, repeatable: every bundle folder, zip or checkpoint.json given. */
export const collectCheckpoint = (value: string, previous: string[]): string[] => [...previous, value];

/**
 * `airlock audit verify --checkpoint BUNDLE…`: the session's chain held to its own checkpoints and to each bundle's,
 * so a chain cut back or an older workspace copy put back after an export is named ("… the checkpoint in bundle X …").
 * The bundles are read (and verified) before the password is asked.
 */
export function bundleCheckpoints(paths: readonly string[]): ReturnType<typeof readBundleCheckpoint>[] {
  return paths.map((p) => readBundleCheckpoint(p));
}

export function verifyAuditAgainst(svc: AirlockService, checkpoints: ReturnType<typeof bundleCheckpoints>): AuditVerifyResult {
  const session = svc.current;
  if (!session) throw new AirlockError('UNAUTHENTICATED', 'Log in first.');
  return verifyWorkspaceAudit(session.ws, checkpoints);
}
