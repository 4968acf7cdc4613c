/** The JSON-lines event stream (--json to stdout, --log FILE to a file). */
import { appendFileSync, writeFileSync } from 'node:fs';
import type { Reporter } from './events.ts';

export function jsonLinesReporter(write: (line: string) => void): Reporter {
  return (event) => write(`${JSON.stringify({ ...event, ts: Date.now() })}\n`);
}

export function jsonFileReporter(path: string): Reporter {
  writeFileSync(path, '');
  return jsonLinesReporter((line) => appendFileSync(path, line));
}
