/** Which hosts each play runs on (pattern, --limit, serial batches) and which items (--tags). */
import { InputError } from '../errors.ts';
import type { PatternMatcher } from '../inventory/patterns.ts';
import type { Play, PlayItem } from '../playbook/model.ts';
import { type PlayTargets, serialBatches } from './graph.ts';

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

export function computeTargets(
  plays: Play[],
  matcher: PatternMatcher,
  limit: string | undefined,
  filter: TagFilter,
): PlayTargets[] {
  return plays.map((play) => {
    let hosts = matcher.hosts(play.hosts);
    if (limit !== undefined) {
      try {
        hosts = matcher.limit(hosts, limit);
      } catch (e) {
        if (e instanceof InputError) throw new InputError(e.code, `--limit: ${e.message}`, undefined, e.hint);
        throw e;
      }
    }
    const names = hosts.map((h) => h.name);
    const items = play.items
      .map((item, i) => ({ item, i }))
      .filter(({ item }) => selected(itemTags(play, item), filter));
    return { play, batches: serialBatches(names, play.serial), items: items.map(({ i }) => i) };
  });
}
