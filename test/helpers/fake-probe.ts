/**
 * A scripted ProbeContext for module table tests: probe commands answered by pattern. Path
 * probes go through the real batch command and parser, answered by the same patterns.
 */
import { NO_FACTS } from '../../src/facts/gather.ts';
import { parsePathBatch, pathBatchCommand } from '../../src/modules/path-batch.ts';
import type { ProbeContext } from '../../src/modules/types.ts';

const PATH = '\u0001PATH\u0001';

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
    readLocalBytes: (path) => Buffer.from(`local:${path}`),
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
      const r = await ctx.probe(pathBatchCommand(request));
      return parsePathBatch(request, { ...r, stdout: r.stdout.replaceAll(PATH, path) })[0];
    },
  };
  return ctx;
}

/** Matches the path batch command (what ctx.probePath sends). */
export const STAT_PROBE = /stat --printf/;

/**
 * What the path batch command prints for one path (a file's content whether asked or not).
 * PATH stands for the path asked about, filled in by probePath.
 */
const record = (type: string, mode: string, owner: string, group: string, size: number, name = PATH) =>
  `${type}|${mode}|${owner}|${group}|${size}|${owner === 'root' ? 0 : 1000}|${group === 'root' ? 0 : 1000}|${name}\0`;
export const stat = {
  absent: 'A\n\n',
  dir: (mode = '755', owner = 'root', group = 'root') =>
    `E\n${record('directory', mode, owner, group, 4096)}\n`,
  file: (content: string, mode = '644', owner = 'root', group = 'root') =>
    `E\n${record('regular file', mode, owner, group, Buffer.byteLength(content))}${content}\n`,
  link: (target: string) =>
    `L\n${record('symbolic link', '777', 'root', 'root', 9, `${PATH} -> ${target}`)}\n`,
  danglingLink: (target: string) =>
    `D\n${record('symbolic link', '777', 'root', 'root', 9, `${PATH} -> ${target}`)}\n`,
};
