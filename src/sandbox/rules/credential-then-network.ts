import type { SensitiveCategory } from '../report/classify-path.js';
import { honeytokenFiles, sensitiveIn } from '../report/files.js';
import type { Actor } from '../types.js';
import { defineSandboxRule } from './define-sandbox-rule.js';
import { isExcusedRead, publishingSubjects } from './honeytoken-read.js';
import { destination, displayPath, isOutbound, readsOf, subjectOf, who } from './queries.js';

/** Hosts a package manager talks to with the .npmrc token: reading it and calling them is what npm does. */
const REGISTRY_HOSTS =
  /^(?:registry\.npmjs\.(?:org|com)|registry\.yarnpkg\.com|npm\.pkg\.github\.com|registry\.npmmirror\.com)$/;

type Read = { path: string; category?: SensitiveCategory; honeytoken: boolean; actor: Actor };

export const credentialThenNetwork = defineSandboxRule({
  id: 'sandbox-credential-then-network',
  kind: 'threat',
  severity: 'critical',
  confidence: 'high',
  description:
    'The same package read a honeytoken or a secret file and made an outbound network attempt in the same run (the harvest-and-send chain)',
  detect(input, found) {
    const publishing = publishingSubjects(input);
    for (const view of input.runs) {
      const planted = honeytokenFiles(view);
      const reads = new Map<string, Read[]>();
      const addRead = (read: Read): void => {
        const list = reads.get(subjectOf(read.actor)) ?? [];
        if (!list.some((r) => r.path === read.path)) list.push(read);
        reads.set(subjectOf(read.actor), list);
      };
      for (const { event, actor } of readsOf(view)) {
        if (event.kind !== 'open' || !event.result.ok) continue;
        const honeytoken = planted.has(event.path);
        const category = sensitiveIn(view, event.path);
        if (
          !honeytoken &&
          (!category || category === 'npmrc' || category === 'yarnrc' || category === 'env-file')
        )
          continue;
        if (isExcusedRead(input, { path: event.path, actor }, publishing)) continue;
        addRead({ path: event.path, honeytoken, actor, ...(category ? { category } : {}) });
      }
      if (reads.size === 0) continue;

      // This run's own lists: an unattributed attempt carries no run of its own.
      const attempts = view.network.filter(isOutbound);
      const queries = view.dns;
      for (const [subject, subjectReads] of reads) {
        const own = attempts.filter((a) => a.actor && subjectOf(a.actor) === subject);
        const ownQueries = queries.filter((q) => q.actor && subjectOf(q.actor) === subject);
        const unattributed = attempts.filter((a) => !a.actor);
        const unattributedQueries = queries.filter((q) => !q.actor);
        const sent = [...own, ...unattributed];
        const asked = [...ownQueries, ...unattributedQueries];
        if (sent.length === 0 && asked.length === 0) continue;
        const destinations = [
          ...new Set([
            ...sent.map(destination),
            ...asked.filter((q) => !sent.some((a) => a.host === q.name)).map((q) => `dns ${q.name}`),
          ]),
        ];
        const hosts = [...sent.map((a) => a.host ?? a.address ?? ''), ...asked.map((q) => q.name)];
        const categories = new Set(subjectReads.map((r) => r.category));
        const tokenConfigOnly = [...categories].every((c) => c === 'npmrc' || c === 'yarnrc');
        const envOnly = [...categories].every((c) => c === 'env-file');
        const registryOnly = hosts.every((host) => REGISTRY_HOSTS.test(host.replace(/\.invalid$/, '')));
        const actor = subjectReads[0]?.actor as Actor;
        const grade =
          tokenConfigOnly && registryOnly
            ? { severity: 'high' as const, confidence: 'medium' as const }
            : envOnly || own.length + ownQueries.length === 0
              ? { confidence: 'medium' as const }
              : {};
        found({
          message: `${who(actor)} read ${subjectReads.map((r) => displayPath(r.path, view)).join(', ')} and reached out to ${destinations.slice(0, 3).join(', ')}`,
          evidence: [
            ...subjectReads.map(
              (r) => `read ${displayPath(r.path, view)}${r.honeytoken ? ' (honeytoken)' : ''}`,
            ),
            ...destinations.map((d) => `sent ${d}`),
          ],
          actor,
          ...grade,
        });
      }
    }
  },
});
