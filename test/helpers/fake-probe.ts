/**
 * A scripted ProbeContext for module table tests: probe commands answered by pattern. Path
 * probes go through the real batch command and parser, answered by the same patterns.
 */
import { NO_FACTS } from '../../src/facts/gather.ts';
import { parsePathBatch, pathBatchCommand } from '../../src/modules/path-batch.ts';
import type { ProbeContext } from '../../src/modules/types.ts';

export type Answer = string | { code?: number; stdout?: string; stderr?: string };

export function fakeProbe(
  answers: Array<[RegExp, Answer]>,
  facts: Partial<typeof NO_FACTS> = {},
): ProbeContext & { seen: string[] } {
  const seen: string[] = [];
  const ctx: ProbeContext & { seen: string[] } = {
    host: 'h1',
    facts: async () => ({ ...NO_FACTS, kernel: '6.1.0', ...facts }),
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
    async probePath(path, want) {
      const request = [{ path, ...want }];
      return parsePathBatch(request, await ctx.probe(pathBatchCommand(request)))[0];
    },
  };
  return ctx;
}

/** What the path batch command prints for one path (a file's content whether asked or not). */
export const stat = {
  absent: 'A\n\n',
  dir: (mode = '755', owner = 'root', group = 'root') => `E\ndirectory|${mode}|${owner}|${group}|4096\n\n`,
  file: (content: string, mode = '644', owner = 'root', group = 'root') =>
    `E\nregular file|${mode}|${owner}|${group}|${Buffer.byteLength(content)}\n${Buffer.from(content).toString('base64')}\n`,
  link: (target: string) => `L\nsymbolic link|777|root|root|${target.length}\n${target}\n\n`,
  danglingLink: (target: string) => `D\nsymbolic link|777|root|root|${target.length}\n${target}\n\n`,
};
