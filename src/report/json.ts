/** The JSON-lines event stream (--json to stdout, --log FILE to a file). */
import type { Reporter } from './events.ts';
import { isRoutine, LineFile } from './line-file.ts';

export function jsonLinesReporter(write: (line: string) => void): Reporter {
  return (event) => write(`${JSON.stringify({ ...event, ts: Date.now() })}\n`);
}

export function jsonFileReporter(path: string): Reporter {
  const file = new LineFile(path, 'w');
  return (event) => {
    file.write(`${JSON.stringify({ ...event, ts: Date.now() })}\n`, !isRoutine(event));
    if (event.type === 'run_end') file.close();
  };
}
