import type { Decision, RuleId } from './types.js';

/** The response header naming the rule behind a 403. */
export const RULE_HEADER = 'x-bulwark-rule';

export interface DenyResponse {
  status: 403;
  /** HTTP reason phrase: Yarn, pnpm and Bun print it; ASCII, one line. */
  statusMessage: string;
  headers: Record<string, string>;
  /** JSON; npm prints `error` after the status line. */
  body: string;
}

const ascii = (text: string, max: number): string => {
  const clean = text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
};

/** How to waive a denial: the exception to add to the policy file. */
export const waiverHint = (name: string, version: string, rule: RuleId, policyFile?: string): string => {
  const malware = rule === 'malware' || rule === 'malicious' ? ', allowMalware: true' : '';
  const where = policyFile ? ` to ${policyFile}` : ' to the firewall policy';
  return `to waive, add${where}: exceptions: [{package: "${name}", versions: "${version}", rules: [${rule}]${malware}, reason: "...", expires: YYYY-MM-DD}]`;
};

/**
 * The 403 for a denied package version. What each client shows:
 * npm `403 <reason phrase> - GET <url> - <body.error>`; pnpm and Yarn Berry the status and reason
 * phrase; Yarn classic and Bun only the status and URL (test/e2e/firewall checks each). So both
 * carry the package, version, rule and reason; the body adds how to waive.
 */
export const denyResponse = (
  name: string,
  version: string,
  decision: Decision,
  policyFile?: string,
): DenyResponse => {
  const rule = decision.rule ?? 'checkFailed';
  const summary = `bulwark firewall blocked ${name}@${version} (${rule}): ${decision.reason}`;
  const hint = decision.waivable ? waiverHint(name, version, rule, policyFile) : 'this cannot be waived';
  const error = ascii(`${summary}; ${hint}`, 2000);
  return {
    status: 403,
    statusMessage: ascii(`Forbidden - ${summary}`, 400),
    headers: {
      'content-type': 'application/json',
      [RULE_HEADER]: rule,
      'cache-control': 'no-store',
    },
    body: JSON.stringify({
      error,
      package: name,
      version,
      rule,
      reason: decision.reason,
      waivable: decision.waivable,
    }),
  };
};
