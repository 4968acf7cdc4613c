/**
 * Unified diffs of file contents for --diff, through jsdiff (the `diff` package: Myers' O(ND)
 * line diff, not the quadratic table this file once held). The one seam to that package.
 */
import { structuredPatch } from 'diff';

export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  const patch = structuredPatch(path, path, before, after, '', '', { context });
  const out = [`--- ${before === '' ? '/dev/null' : `${path} (before)`}`, `+++ ${path} (after)`];
  for (const h of patch.hunks) {
    // as GNU diff: an empty range starts at the line before it (-0,0 for a new file)
    const start = (at: number, lines: number) => (lines === 0 ? at - 1 : at);
    out.push(
      `@@ -${start(h.oldStart, h.oldLines)},${h.oldLines} +${start(h.newStart, h.newLines)},${h.newLines} @@`,
    );
    // jsdiff marks a last line without a newline; the reports show contents, not that marker
    out.push(...h.lines.filter((l) => !l.startsWith('\\')));
  }
  return out.join('\n');
}
