import type { Finding } from '../core/finding.js';
import { markdownText } from './markdown-text.js';
import { stripControls } from './plain-text.js';
import { overrideSnippet, remediationLines } from './remediation-text.js';

/** Markdown blocks for a finding's fix; an override's package.json fragment is a fenced JSON block. */
export const remediationMarkdown = (finding: Finding): string[] => {
  const remediation = finding.remediation;
  if (finding.type !== 'malware' && remediation.kind === 'override') {
    // Snippet lines start with spaces and a quote, so none can close the fence.
    const snippet = overrideSnippet(remediation.field, remediation.key, remediation.value).map(stripControls);
    return [
      markdownText(`Add an override in package.json (${remediation.field}), then reinstall:`),
      ['```json', ...snippet, '```'].join('\n'),
      ...(remediation.note ? [markdownText(remediation.note)] : []),
    ];
  }
  return remediationLines(finding).map(markdownText);
};
