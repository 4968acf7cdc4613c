/**
 * community.general's `alternatives`: a path in a Debian alternatives group, installed (with its
 * priority, family and follower links), selected, back to auto, or removed, decided as the
 * collection's module decides it from `update-alternatives --display` (its own regular
 * expressions over the same text). Held to the module by test/modules/alternatives.test.ts.
 */
import { sh } from '../transport/shell.ts';
import { type Change, defineModule, type ModuleOutcome } from './types.ts';

interface Follower {
  name: string;
  path: string;
  link: string;
}

export interface AlternativesParams {
  name: string;
  path?: string;
  family?: string;
  link?: string;
  priority?: number;
  state?: 'present' | 'selected' | 'auto' | 'absent';
  subcommands?: Follower[];
}

interface Current {
  mode?: string;
  path?: string;
  link?: string;
  alternatives: Map<string, { priority: number; family: string; subcommands: Array<Partial<Follower>> }>;
}

const MARK = '--quorum-alternatives--';

/** The module's parse() over `update-alternatives --display NAME`. */
function parse(display: string, given?: Follower[]): Current {
  const out: Current = { alternatives: new Map() };
  const mode = /\s-\s(?:status\sis\s)?(\w*)(?:\smode|.)$/m.exec(display);
  if (!mode) return out;
  out.mode = mode[1];
  out.path = /^\s*link currently points to (.*)$/m.exec(display)?.[1];
  out.link = /^\s*link \w+ is (.*)$/m.exec(display)?.[1];
  let links = new Map(
    [...display.matchAll(/^\s*(?:slave|follower) (\S+) is (.*)$/gm)].map((m) => [m[1], m[2]]),
  );
  if (links.size === 0 && given?.length) links = new Map(given.map((s) => [s.name, s.link]));
  for (const m of display.matchAll(
    /^(\/.*)\s-\s(?:family\s(\S+)\s)?priority\s(\d+)((?:\s+(?:slave|follower).*)*)/gm,
  )) {
    const subcommands = [...m[4].matchAll(/^\s+(?:slave|follower) (.*): (.*)$/gm)]
      .filter((s) => s[2] !== '(null)')
      .map((s) => ({ name: s[1], path: s[2], link: links.get(s[1]) }));
    out.alternatives.set(m[1], { priority: Number(m[3]), family: m[2] ?? '', subcommands });
  }
  return out;
}

const sameFollower = (a: Partial<Follower>, b: Partial<Follower>) =>
  a.name === b.name && a.path === b.path && a.link === b.link;

export const alternativesModule = defineModule<AlternativesParams>({
  name: 'alternatives',
  aliases: ['community.general.alternatives'],
  paramAliases: { slaves: 'subcommands' },
  schema: {
    type: 'object',
    properties: {
      name: { type: 'string', minLength: 1 },
      path: { type: 'string' },
      family: { type: 'string' },
      link: { type: 'string' },
      priority: { type: 'integer' },
      state: { enum: ['present', 'selected', 'auto', 'absent'] },
      subcommands: {
        type: 'array',
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, path: { type: 'string' }, link: { type: 'string' } },
          required: ['name', 'path', 'link'],
          additionalProperties: false,
        },
      },
    },
    required: ['name'],
    anyOf: [{ required: ['path'] }, { required: ['family'] }],
    additionalProperties: false,
  },
  async plan(ctx, p): Promise<ModuleOutcome> {
    const state = p.state ?? 'selected';
    const r = await ctx.probe(
      `LC_ALL=C update-alternatives --display ${sh`${p.name}`} 2>/dev/null; echo "${MARK}$?"; ${
        p.path === undefined ? 'true' : `[ -e ${sh`${p.path}`} ] && echo ${MARK}exists`
      }`,
    );
    const [display] = r.stdout.split(MARK);
    // no such group yet: update-alternatives --display fails, and the module reads nothing
    const current: Current = r.stdout.includes(`${MARK}0\n`)
      ? parse(display, p.subcommands)
      : { alternatives: new Map() };
    const exists = r.stdout.includes(`${MARK}exists`);
    const have = p.path === undefined ? undefined : current.alternatives.get(p.path);
    const changes: Change[] = [];
    const run = (summary: string, args: string[]) =>
      changes.push({ summary, action: { kind: 'exec', command: `update-alternatives ${sh`${args}`}` } });
    if (state === 'absent') {
      if (have && p.path) run(`remove ${p.path} from ${p.name}`, ['--remove', p.name, p.path]);
      return { changes };
    }
    const wanted = p.subcommands;
    const reinstall =
      p.path !== undefined &&
      (!have ||
        (p.priority !== undefined && have.priority !== p.priority) ||
        (wanted !== undefined &&
          (!have.subcommands.every((s) => wanted.some((w) => sameFollower(w, s))) ||
            !wanted.every((w) => have.subcommands.some((s) => sameFollower(w, s))))));
    if (reinstall && p.path) {
      if (!exists) return { changes: [], failed: `Specified path ${p.path} does not exist` };
      const link = p.link || current.link;
      if (!link)
        return {
          changes: [],
          failed: 'Needed to install the alternative, but unable to do so as we are missing the link',
        };
      const priority = p.priority ?? have?.priority ?? 50;
      const followers = wanted ?? (have?.subcommands.length ? (have.subcommands as Follower[]) : undefined);
      run(`install ${p.path} for ${p.name} (priority ${priority})`, [
        '--install',
        link,
        p.name,
        p.path,
        String(priority),
        ...(p.family !== undefined ? ['--family', p.family] : []),
        ...(wanted !== undefined
          ? (followers ?? []).flatMap((s) => ['--slave', s.link, s.name, s.path])
          : []),
      ]);
    }
    const samePath = p.path !== undefined && current.path === p.path;
    const sameFamily =
      current.path !== undefined && current.alternatives.get(current.path)?.family === p.family;
    if (state === 'selected' && !(samePath || sameFamily)) {
      const arg = p.path ?? (p.family as string);
      run(`select ${arg} for ${p.name}`, ['--set', p.name, arg]);
    }
    if (state === 'auto' && current.mode === 'manual') run(`${p.name} back to auto`, ['--auto', p.name]);
    return { changes };
  },
});
