import type { Location } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { allTexts, isCallIn } from '../fact-queries.js';

/** Repository names and descriptions the Nx and Shai-Hulud campaigns used for their dumps. */
const CAMPAIGN_IOC = /s1ngularity-repository|sha1-hulud|shai-hulud/i;
const REPO_CREATE = /\bgh\s+repo\s+create\b|api\.github\.com(?:\.invalid)?\/(?:user|orgs\/[^/\s]+)\/repos\b/i;
const TOKEN_GRAB = /\bgh\s+auth\s+token\b/;

export const exfilGithubRepo = defineRule({
  id: 'exfil-github-repo',
  meta: {
    kind: 'threat',
    category: 'exfiltration',
    severity: 'critical',
    confidence: 'medium',
    description:
      'Code takes the GitHub CLI token or creates a repository to dump data, as Nx and Shai-Hulud did',
    references: [
      'https://nx.dev/blog/s1ngularity-postmortem',
      'https://www.wiz.io/blog/shai-hulud-2-0-ongoing-supply-chain-attack',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const signals = new Map<string, Location>();
    for (const { text, at, fact } of allTexts(facts)) {
      if (CAMPAIGN_IOC.test(text) && !signals.has('campaign name')) signals.set('campaign name', at);
      // Commands count when run; API URLs are what the command does over HTTP.
      const runs = isCallIn(fact, ['process']);
      if (REPO_CREATE.test(text) && (runs || fact.kind === 'url') && !signals.has('repository creation'))
        signals.set('repository creation', at);
      if (TOKEN_GRAB.test(text) && runs && !signals.has('gh auth token')) signals.set('gh auth token', at);
    }
    const names = [...signals.keys()];
    // A scaffolding CLI may create a repo; creating one together with taking the token or under a campaign name is the dump.
    const confidence = signals.has('campaign name') || signals.size > 1 ? 'high' : 'medium';
    for (const [name, at] of signals)
      report({
        message: `${name}${names.length > 1 ? ` (with ${names.filter((n) => n !== name).join(', ')})` : ''}`,
        at,
        confidence,
      });
  },
});
