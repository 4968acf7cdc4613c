/** Which hosts each play runs on (pattern, --limit, serial batches) and which items (--tags). */
import { InputError } from '../errors.ts';
import { type PatternMatcher, splitPattern } from '../inventory/patterns.ts';
import type { Play, PlayItem, TaskSpec } from '../playbook/model.ts';
import { systemRandom } from '../template/jinja/py-random.ts';
import { hasTemplate, renderString } from '../template/render.ts';
import { type PlayTargets, serialBatches } from './graph.ts';
import { renderPlayKeywords, renderTaskKeywords } from './play-keywords.ts';

export interface TagFilter {
  tags: string[];
  skipTags: string[];
}

function itemTags(play: Play, item: PlayItem): string[] {
  if (item.kind === 'flush') return ['always'];
  const own = item.kind === 'role' ? item.ref.tags : item.task.tags;
  return [...play.tags, ...own];
}

export function selected(tags: string[], filter: TagFilter): boolean {
  if (filter.skipTags.some((t) => tags.includes(t))) return false;
  if (filter.tags.length === 0 || filter.tags.includes('all')) return !tags.includes('never');
  return tags.includes('always') || filter.tags.some((t) => tags.includes(t));
}

/** Every include_tasks around a task is selected by its own tags (ansible-core: they select the include). */
function includesSelected(play: Play, item: PlayItem, filter: TagFilter): boolean {
  if (item.kind !== 'task') return true;
  return (item.task.includeTags ?? []).every((tags) => selected([...play.tags, ...tags], filter));
}

/** Whether the tags select a task run inside a looped include (its own and its includes'). */
export function taskSelected(play: Play, task: TaskSpec, filter: TagFilter): boolean {
  const item: PlayItem = { kind: 'task', task };
  return selected(itemTags(play, item), filter) && includesSelected(play, item, filter);
}

/** A play's `hosts` with its templates rendered from the play's vars and -e, as Ansible does. */
function playPattern(play: Play, extraVars: Record<string, unknown>): string | string[] {
  const render = (p: string) => {
    if (!hasTemplate(p)) return p;
    try {
      return String(renderString(p, { ...play.vars, ...extraVars }));
    } catch (e) {
      throw new InputError(
        'SCHEMA',
        `hosts: ${JSON.stringify(p)} cannot be rendered before the run: ${(e as Error).message}`,
        play.location,
        "a play's hosts may use its vars and -e (give the value with -e NAME=...)",
      );
    }
  };
  return Array.isArray(play.hosts) ? play.hosts.map(render) : render(play.hosts);
}

/**
 * The terms of a play's pattern that match no host of the inventory: Ansible warns about each
 * ("Could not match supplied host pattern, ignoring: webb") and so does quorum, where a typo
 * would otherwise plan nothing and exit 0.
 */
export function unmatchedTerms(
  play: Play,
  matcher: PatternMatcher,
  extraVars: Record<string, unknown>,
): string[] {
  const pattern = playPattern(play, extraVars);
  return (Array.isArray(pattern) ? pattern : [pattern])
    .flatMap(splitPattern)
    .map((t) => t.replace(/^[!&]/, ''))
    .filter((t) => t !== '' && matcher.hosts(t).length === 0);
}

export function computeTargets(
  plays: Play[],
  matcher: PatternMatcher,
  limit: string | undefined,
  filter: TagFilter & { extraVars?: Record<string, unknown>; check?: boolean },
): PlayTargets[] {
  return plays.map((play) => {
    renderPlayKeywords(play, filter.extraVars ?? {});
    renderTaskKeywords(play, filter.extraVars ?? {}, () => ({ groups: matcher.groupsVar() }), filter.check);
    let hosts = matcher.hosts(playPattern(play, filter.extraVars ?? {}));
    if (limit !== undefined) {
      try {
        hosts = matcher.limit(hosts, limit);
      } catch (e) {
        if (e instanceof InputError) throw new InputError(e.code, `--limit: ${e.message}`, undefined, e.hint);
        throw e;
      }
    }
    const names = ordered(
      hosts.map((h) => h.name),
      play.order,
    );
    const items = play.items
      .map((item, i) => ({ item, i }))
      .filter(({ item }) => selected(itemTags(play, item), filter) && includesSelected(play, item, filter));
    return { play, batches: serialBatches(names, play.serial), items: items.map(({ i }) => i) };
  });
}

/** A play's `order`: its hosts as the inventory lists them, reversed, sorted by name, or shuffled. */
function ordered(names: string[], order: Play['order']): string[] {
  if (order === 'reverse_inventory') return [...names].reverse();
  if (order === 'sorted') return [...names].sort();
  if (order === 'reverse_sorted') return [...names].sort().reverse();
  if (order === 'shuffle') return systemRandom.shuffle([...names]);
  return names;
}
