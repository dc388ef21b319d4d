/** A unified diff of two texts, line by line, with `context` lines around each change. */
export const unifiedDiff = (before: string, after: string, label: string, context = 3): string => {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === 'same') {
      i++;
      continue;
    }
    // Extend the hunk over changes separated by at most 2 × context unchanged lines.
    const start = Math.max(0, i - context);
    let end = i;
    let lastChange = i;
    while (end < ops.length) {
      if (ops[end]!.kind !== 'same') lastChange = end;
      else if (end - lastChange > 2 * context) break;
      end++;
    }
    end = Math.min(ops.length, lastChange + context + 1);
    const slice = ops.slice(start, end);
    const first = ops[start]!;
    const oldCount = slice.filter((op) => op.kind !== 'add').length;
    const newCount = slice.filter((op) => op.kind !== 'del').length;
    const header = `@@ -${first.oldLine}${oldCount === 1 ? '' : `,${oldCount}`} +${first.newLine}${newCount === 1 ? '' : `,${newCount}`} @@`;
    const body = slice.map((op) => `${op.kind === 'add' ? '+' : op.kind === 'del' ? '-' : ' '}${op.text}`);
    hunks.push([header, ...body].join('\n'));
    i = end;
  }
  return [`--- a/${label}`, `+++ b/${label}`, ...hunks].join('\n');
};

type Op = { kind: 'same' | 'add' | 'del'; text: string; oldLine: number; newLine: number };

const splitLines = (text: string): string[] => {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
};

/** LCS over the part between the common prefix and suffix; manifest edits are small and local. */
const diffLines = (a: string[], b: string[]): Op[] => {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const midA = a.slice(prefix, a.length - suffix);
  const midB = b.slice(prefix, b.length - suffix);
  const n = midA.length;
  const m = midB.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let x = n - 1; x >= 0; x--) {
    for (let y = m - 1; y >= 0; y--) {
      lcs[x]![y] = midA[x] === midB[y] ? lcs[x + 1]![y + 1]! + 1 : Math.max(lcs[x + 1]![y]!, lcs[x]![y + 1]!);
    }
  }
  const ops: Op[] = [];
  let oldLine = 1;
  let newLine = 1;
  const push = (kind: Op['kind'], text: string) => {
    ops.push({ kind, text, oldLine, newLine });
    if (kind !== 'add') oldLine++;
    if (kind !== 'del') newLine++;
  };
  for (let k = 0; k < prefix; k++) push('same', a[k]!);
  let x = 0;
  let y = 0;
  while (x < n || y < m) {
    if (x < n && y < m && midA[x] === midB[y]) {
      push('same', midA[x]!);
      x++;
      y++;
    } else if (x < n && (y >= m || lcs[x + 1]![y]! >= lcs[x]![y + 1]!)) {
      push('del', midA[x++]!);
    } else {
      push('add', midB[y++]!);
    }
  }
  for (let k = a.length - suffix; k < a.length; k++) push('same', a[k]!);
  return ops;
};
