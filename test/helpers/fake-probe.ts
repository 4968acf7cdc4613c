/** A scripted ProbeContext for module table tests: probe commands answered by pattern. */
import { NO_FACTS } from '../../src/facts/gather.ts';
import type { ProbeContext } from '../../src/modules/types.ts';

export type Answer = string | { code?: number; stdout?: string; stderr?: string };

export function fakeProbe(
  answers: Array<[RegExp, Answer]>,
  facts: Partial<typeof NO_FACTS> = {},
): ProbeContext & { seen: string[] } {
  const seen: string[] = [];
  return {
    host: 'h1',
    facts: { ...NO_FACTS, kernel: '6.1.0', ...facts },
    become: false,
    vars: {},
    seen,
    readLocal: (path) => `local:${path}`,
    async probe(command) {
      seen.push(command);
      for (const [re, answer] of answers) {
        if (re.test(command)) {
          const a = typeof answer === 'string' ? { stdout: answer } : answer;
          return { code: a.code ?? 0, stdout: a.stdout ?? '', stderr: a.stderr ?? '' };
        }
      }
      throw new Error(`unexpected probe: ${command}`);
    },
  };
}

/** What statPath prints for a path. */
export const stat = {
  absent: 'absent\n',
  dir: (mode = '755', owner = 'root', group = 'root') => `directory|${mode}|${owner}|${group}\n`,
  file: (content: string, mode = '644', owner = 'root', group = 'root') =>
    `regular file|${mode}|${owner}|${group}\n${Buffer.from(content).toString('base64')}`,
  link: (target: string) => `symbolic link|777|root|root\n${target}\n`,
};
