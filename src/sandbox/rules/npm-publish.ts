import { defineSandboxRule } from './define-sandbox-rule.js';
import { commandLine, isPublishCommand, who } from './queries.js';

/** The registry's publish call: `PUT /<name>` or `PUT /@scope%2f<name>`. */
const PUBLISH_TARGET = /^\/(?:@[^/?]+(?:%2f|\/))?[^/?@]+\/?(?:\?.*)?$/i;

export const npmPublish = defineSandboxRule({
  id: 'sandbox-npm-publish',
  kind: 'threat',
  severity: 'critical',
  confidence: 'high',
  description:
    'A package process ran `npm publish` (or yarn/pnpm) or sent a registry publish request: the worm spreading with stolen tokens',
  detect(input, found) {
    for (const view of input.runs) {
      for (const { exec, actor } of view.execs) {
        if (!isPublishCommand(exec.argv)) continue;
        found({
          message: `${who(actor)} ran a package publish: ${commandLine(exec.argv, 120)}`,
          evidence: [commandLine(exec.argv), `run ${view.record.name}`],
          actor,
        });
      }
    }
    for (const view of input.runs) {
      for (const event of view.record.sinkhole) {
        if (event.type !== 'tcp' || !event.http) continue;
        const { method, target, host } = event.http;
        if (method.toUpperCase() !== 'PUT' || !PUBLISH_TARGET.test(target)) continue;
        // A publish document carries the tarball in `_attachments` next to `versions`/`dist-tags`.
        const body = Buffer.from(event.data, 'base64').toString('latin1');
        const document = /"_attachments"\s*:/.test(body) || /"dist-tags"\s*:/.test(body);
        const registryHost = /registry|npm/i.test(host ?? '');
        if (!document && !registryHost) continue;
        const attempt = input.report.network.find(
          (a) =>
            a.http?.method === method &&
            a.http.target === target &&
            a.http.host === host &&
            a.actor?.run === view.record.name,
        );
        const shown = `PUT ${host ?? 'unknown host'}${target}`;
        found({
          message: `${who(attempt?.actor)} sent a registry publish request: ${shown}`,
          evidence: [
            shown,
            document ? 'body is a package document (_attachments / dist-tags)' : 'registry-like host',
          ],
          ...(attempt?.actor ? { actor: attempt.actor } : {}),
          ...(document ? {} : { confidence: 'medium' as const }),
        });
      }
    }
  },
});
