import { basename } from 'node:path';
import { TOOL_CONFIG_CATEGORIES } from '../report/classify-path.js';
import { honeytokenFiles, sensitiveIn } from '../report/files.js';
import type { Actor } from '../types.js';
import { defineSandboxRule } from './define-sandbox-rule.js';
import { isExcusedRead, publishingSubjects } from './honeytoken-read.js';
import { commandLine, displayPath, outcome, readsOf, who } from './queries.js';

/** procps tools, which read other processes' /proc entries by design. */
const PROCESS_LISTERS = new Set(['ps', 'pgrep', 'pkill', 'pidof', 'top', 'htop', 'pstree']);

export const sensitiveRead = defineSandboxRule({
  id: 'sandbox-sensitive-read',
  kind: 'threat',
  severity: 'medium',
  confidence: 'high',
  description:
    'A package process read (or tried to read) secrets with no planted token: SSH, shell history, browser profiles, wallets, cloud credentials',
  detect(input, found) {
    const publishing = publishingSubjects(input);
    for (const view of input.runs) {
      const planted = honeytokenFiles(view);
      // One finding per process and category, listing the paths.
      const groups = new Map<string, { actor: Actor; category: string; paths: string[]; weak: boolean }>();
      for (const { event, actor } of readsOf(view)) {
        if (event.kind !== 'open' || planted.has(event.path)) continue;
        const category = sensitiveIn(view, event.path);
        if (!category) continue;
        const toolConfig = TOOL_CONFIG_CATEGORIES.has(category);
        // Probing for a missing .npmrc or .env is what every config loader does.
        if (toolConfig && !event.result.ok) continue;
        if (isExcusedRead(input, { path: event.path, actor }, publishing)) continue;
        // ps and pgrep read every process's /proc files to list them (nodemon runs `ps` on start).
        if (category === 'process-memory' && PROCESS_LISTERS.has(basename(actor.command[0] ?? ''))) continue;
        const key = `${actor.pid}\0${category}`;
        const group = groups.get(key) ?? { actor, category, paths: [], weak: toolConfig };
        const shown = `${displayPath(event.path, view)}${outcome(event.result)}`;
        if (!group.paths.includes(shown)) group.paths.push(shown);
        groups.set(key, group);
      }
      for (const group of groups.values()) {
        found({
          message: `${who(group.actor)} read ${group.category} files: ${group.paths.slice(0, 3).join(', ')}${group.paths.length > 3 ? ', …' : ''}`,
          evidence: [...group.paths, commandLine(group.actor.command)],
          actor: group.actor,
          ...(group.weak ? { confidence: 'low' as const } : {}),
        });
      }
    }
  },
});
