/** Questions on the terminal: vars_prompt, -K and -J. */
import { InputError } from '../errors.ts';

/** One line from the terminal, echoed (vars_prompt with private: false). */
export async function promptLine(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

export async function promptHidden(
  question: string,
  otherwise = '--ask-become-pass needs a terminal; set QUORUM_BECOME_PASSWORD instead',
): Promise<string> {
  if (!process.stdin.isTTY) throw new InputError('USAGE', otherwise);
  process.stderr.write(question);
  process.stdin.setRawMode(true);
  return new Promise((resolve) => {
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          process.stdin.setRawMode(false);
          process.stdin.off('data', onData);
          process.stdin.pause();
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    process.stdin.on('data', onData);
  });
}
