/**
 * `npm run bench:limits`: what each oversized input (test/helpers/oversized-inputs.ts) costs
 * before quorum refuses it: wall time, controller CPU, peak RSS, and whether the error was the
 * one expected. No lab: every case is refused before any host is touched.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OVERSIZED, writeOversizedInputs } from '../helpers/oversized-inputs.ts';
import { timed } from './measure.ts';

const ROOT = join(import.meta.dirname, '../..');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-limits-'));
  writeOversizedInputs(dir);
  const baseline = await timed(
    process.execPath,
    [join(ROOT, 'bin/quorum.js'), '--version'],
    process.env,
    ROOT,
  );
  const rows = [
    `${'quorum --version (start-up)'.padEnd(32)} ${baseline.wall.toFixed(2)} s  rss ${baseline.rssMb.toFixed(0)} MB`,
  ];
  for (const c of OVERSIZED) {
    const s = await timed(process.execPath, [join(ROOT, 'bin/quorum.js'), ...c.args(dir)], process.env, ROOT);
    rows.push(
      `${c.name.padEnd(32)} ${s.wall.toFixed(2)} s  cpu ${s.cpu.toFixed(2)} s  rss ${s.rssMb.toFixed(0).padStart(5)} MB  exit ${s.code}`,
    );
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
