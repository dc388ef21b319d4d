import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../../core/errors.js';
import { readInputFile } from '../../core/input.js';
import { defaultDbPath } from '../../core/paths.js';
import { applyFix, type FixPlan, planFix, writeFileAtomic } from '../../remediation/fix-plan.js';
import { unifiedDiff } from '../../remediation/line-diff.js';
import { runScan } from '../../scan/scan.js';
import { createProgress } from '../progress.js';

type FixFlags = {
  dryRun?: boolean;
  db?: string;
  lockfile?: string;
  offline?: boolean;
  registry?: string;
};

export const registerFix = (program: Command): void => {
  program
    .command('fix')
    .description('apply the fixes `scan` proposes to package.json (upgrades and overrides)')
    .argument('[dir]', 'project directory', '.')
    .option('--dry-run', 'print the change without writing it')
    .option('--db <path>', 'advisory database (default: $BULWARK_DB or the per-user data directory)')
    .option('--lockfile <file>', 'read this lockfile instead of discovering one')
    .option('--offline', 'no network: use cached registry data only (overrides instead of parent upgrades)')
    .option('--registry <url>', 'registry for look-ups (default: from .npmrc)')
    .addHelpText(
      'after',
      `
Writes package.json atomically, keeping its formatting, then prints the install command that
brings the lockfile in line. Suppressed findings (bulwark.yaml) are left alone.
Exit codes: 0 done or nothing to do, 2 usage or input error.`,
    )
    .action(async (dir: string, flags: FixFlags) => {
      const progress = createProgress();
      let plan: FixPlan;
      let manifestFile: string;
      let before: string;
      try {
        const result = await runScan({
          dir: resolve(dir),
          lockfile: flags.lockfile,
          dbPath: flags.db ?? defaultDbPath(),
          omitDev: false,
          failOn: 'never',
          offline: flags.offline === true,
          registry: flags.registry,
          useSuppressions: true,
          onPhase: progress.phase,
        });
        progress.done();
        for (const warning of result.warnings)
          process.stderr.write(`bulwark: warning: ${printable(warning)}\n`);
        manifestFile = join(result.target.directory, 'package.json');
        if (!existsSync(manifestFile))
          throw new InputError(manifestFile, 'does not exist; fix edits package.json');
        before = readInputFile(manifestFile);
        plan = planFix(result, before, result.target.manager, manifestFile);
      } finally {
        progress.done();
      }
      process.stdout.write(carryOutFix(plan, manifestFile, before, flags.dryRun === true));
    });
};

/** Writes package.json (unless `dryRun`) and returns what `fix` prints. */
export const carryOutFix = (plan: FixPlan, manifestFile: string, before: string, dryRun: boolean): string => {
  const out: string[] = [];
  if (plan.edits.length === 0 && plan.commands.length === 0 && plan.notes.length === 0) {
    return 'bulwark fix: nothing to fix\n';
  }
  if (plan.edits.length > 0) {
    const after = applyFix(before, plan.edits);
    out.push(
      `${dryRun ? 'Would change' : 'Changed'} ${manifestFile}:`,
      '',
      printable(unifiedDiff(before, after, 'package.json'), true),
      '',
    );
    for (const edit of plan.edits) {
      out.push(
        `  ${edit.path.join('.')}: ${edit.from ?? '(new)'} → ${edit.to}   fixes ${edit.findings.join(', ')}`,
      );
    }
    out.push('');
    if (!dryRun) writeFileAtomic(manifestFile, after);
    out.push(
      dryRun
        ? `Dry run: nothing written. Without --dry-run, run \`${plan.install}\` afterwards to update the lockfile.`
        : `Now run \`${plan.install}\` to update the lockfile.`,
    );
  }
  if (plan.commands.length > 0) {
    out.push('', 'Lockfile refreshes (inside the declared ranges; run these):');
    for (const command of plan.commands) out.push(`  ${printable(command)}`);
  }
  if (plan.notes.length > 0) {
    out.push('', 'Needs a decision:');
    for (const note of plan.notes) out.push(`  - ${printable(note)}`);
  }
  return `${out.join('\n')}\n`;
};

/** Names and advisory text come from untrusted files: no terminal control sequences reach the user. */
const printable = (text: string, keepNewlines = false): string =>
  text.replace(
    keepNewlines ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u001f\u007f-\u009f]/g,
    '?',
  );
