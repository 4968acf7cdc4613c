/** Unified diffs of file contents for --diff (line-based LCS; fine for config-sized files). */

export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const ops = lineOps(a, b);
  const out = [`--- ${before === '' ? '/dev/null' : `${path} (before)`}`, `+++ ${path} (after)`];
  let i = 0;
  while (i < ops.length) {
    if (ops[i].op === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    while (end < ops.length) {
      if (ops[end].op !== ' ') {
        end++;
        continue;
      }
      let run = 0;
      while (end + run < ops.length && ops[end + run].op === ' ') run++;
      if (end + run >= ops.length || run > context * 2) {
        end = Math.min(ops.length, end + context);
        break;
      }
      end += run;
    }
    const hunk = ops.slice(start, end);
    const aStart = hunk.find((o) => o.a !== undefined)?.a ?? 0;
    const bStart = hunk.find((o) => o.b !== undefined)?.b ?? 0;
    const aLen = hunk.filter((o) => o.op !== '+').length;
    const bLen = hunk.filter((o) => o.op !== '-').length;
    out.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`);
    for (const o of hunk) out.push(`${o.op}${o.text}`);
    i = end;
    start = end;
  }
  return out.join('\n');
}

interface Op {
  op: ' ' | '-' | '+';
  text: string;
  a?: number;
  b?: number;
}

function lineOps(a: string[], b: string[]): Op[] {
  if (a.length * b.length > 4_000_000) {
    return [
      ...a.map((text, i) => ({ op: '-' as const, text, a: i })),
      ...b.map((text, i) => ({ op: '+' as const, text, b: i })),
    ];
  }
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ op: ' ', text: a[i], a: i++, b: j++ });
    } else if (j < b.length && (i >= a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
      ops.push({ op: '+', text: b[j], b: j++ });
    } else {
      ops.push({ op: '-', text: a[i], a: i++ });
    }
  }
  return ops;
}
