import type { StoredSandboxVerdict } from '../sandbox-verdicts.js';

/** A stored sandbox verdict for tests: malicious unless told otherwise. */
export const storedVerdict = (
  integrity: string,
  over: Partial<StoredSandboxVerdict> = {},
): StoredSandboxVerdict => ({
  name: 'fixture',
  version: '1.0.0',
  integrity,
  verdict: 'malicious',
  score: 9,
  findings: [{ rule: 'exfil-http', severity: 'critical', message: 'sent ~/.npmrc to c2.invalid' }],
  analysedAt: 1_700_000_000_000,
  tool: 'bulwark-sandbox test',
  ...over,
});
