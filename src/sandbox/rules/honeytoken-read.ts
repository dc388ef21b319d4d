import { sensitiveCategory, TOOL_CONFIG_CATEGORIES } from '../report/classify-path.js';
import type { Actor } from '../types.js';
import { defineSandboxRule, type SandboxRuleInput } from './define-sandbox-rule.js';
import { commandLine, displayPath, infoOf, isPublishCommand, subjectOf, viewOf, who } from './queries.js';

/** Subjects (run + package) whose processes ran a publish. */
export const publishingSubjects = (input: SandboxRuleInput): Set<string> => {
  const subjects = new Set<string>();
  for (const view of input.runs)
    for (const { exec, actor } of view.execs) if (isPublishCommand(exec.argv)) subjects.add(subjectOf(actor));
  return subjects;
};

/**
 * A read the rules excuse: the npm/yarn/pnpm CLI a script started reads .npmrc as its own
 * config — unless that package also publishes (the worm's move).
 */
export const isExcusedRead = (
  input: SandboxRuleInput,
  read: { path: string; actor?: Actor },
  publishing: ReadonlySet<string>,
): boolean => {
  const view = read.actor ? viewOf(input, read.actor.run) : undefined;
  const info = infoOf(input, read.actor);
  if (!view || !info || !read.actor) return false;
  const category = sensitiveCategory(read.path, {
    home: view.record.identity.home,
    project: view.record.identity.project,
  });
  if (category !== 'npmrc' && category !== 'yarnrc') return false;
  return info.packageManagerCli && !publishing.has(subjectOf(read.actor));
};

export const honeytokenRead = defineSandboxRule({
  id: 'sandbox-honeytoken-read',
  kind: 'threat',
  severity: 'high',
  confidence: 'high',
  description:
    'A package process opened a file holding a planted secret (SSH key, npm token, cloud credentials, …)',
  detect(input, found) {
    const publishing = publishingSubjects(input);
    for (const read of input.report.honeytokens.read) {
      if (!read.actor || isExcusedRead(input, read, publishing)) continue;
      const view = viewOf(input, read.actor.run);
      const context = view
        ? { home: view.record.identity.home, project: view.record.identity.project }
        : undefined;
      const category = context ? sensitiveCategory(read.path, context) : undefined;
      // Tool configs (.npmrc, .env) are read by legitimate config loaders too; a chain or a publish decides.
      const weak = category !== undefined && TOOL_CONFIG_CATEGORIES.has(category);
      found({
        message: `${who(read.actor)} opened ${displayPath(read.path, view)}, which holds honeytoken ${read.token}`,
        evidence: [displayPath(read.path, view), `token ${read.token}`, commandLine(read.actor.command)],
        actor: read.actor,
        // Alone it stays below suspicious (config loaders like dotenv and rc read these); with a
        // send it is credential-then-network, with a publish npm-publish.
        ...(weak ? { severity: 'medium' as const, confidence: 'medium' as const } : {}),
      });
    }
  },
});
