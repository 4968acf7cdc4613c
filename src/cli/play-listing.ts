/** `quorum play --list-hosts | --list-tasks | --list-tags`: the plan, printed, nothing run. */
import type { PreparedRun } from '../execute/run.ts';

/** Each play's hosts and/or items, as quorum plans them (hosts after --limit, read-only ones marked). */
export function listPlan(prepared: PreparedRun, what: { hosts: boolean; tasks: boolean }): string {
  const out: string[] = [];
  const later = new Set(prepared.later.flat());
  for (const t of [...prepared.targets, ...prepared.staticTargets.filter((x) => later.has(x.play))]) {
    const hosts = t.batches.flat();
    out.push(
      `play "${t.play.name}" (${hosts.length} host${hosts.length === 1 ? '' : 's'}${
        later.has(t.play) ? ' before the run; matched again when it starts, after group_by/add_host' : ''
      }):\n`,
    );
    if (what.hosts) {
      for (const h of hosts) out.push(`    ${h}\n`);
      // outside --limit, read for what the limited hosts need
      const readOnly = new Set(
        prepared.nodes.filter((n) => n.play === t.play && n.readOnly).map((n) => n.host),
      );
      for (const h of readOnly) out.push(`    ${h} (read-only)\n`);
    }
    if (what.tasks) {
      for (const i of t.items) {
        const item = t.play.items[i];
        if (item.kind === 'flush') {
          out.push('    (run notified handlers)\n');
          continue;
        }
        const tags = item.kind === 'role' ? item.ref.tags : item.task.tags;
        const label =
          item.kind === 'role' ? `role ${item.ref.role}` : `${item.task.name} (${item.task.module})`;
        const throttle = prepared.nodes.find((n) => n.play === t.play && n.item === item)?.throttle;
        const notes = [
          tags.length ? `tags: ${tags.join(',')}` : '',
          throttle ? `throttle: ${throttle.limit}` : '',
          item.kind === 'task' && item.task.runOnce ? 'run_once' : '',
        ].filter(Boolean);
        out.push(`    ${label}${notes.length ? `  ${notes.join('  ')}` : ''}\n`);
      }
    }
  }
  return out.join('');
}

const sortedList = (tags: Iterable<string>) => `[${[...new Set(tags)].sort().join(', ')}]`;

/**
 * ansible-playbook --list-tags, byte for byte: each play's own tags, then every tag its tasks
 * and roles carry (the play's included; of a dynamic include, the include's own), sorted; an
 * unnamed play is named by its hosts.
 */
export function listTags(playbook: string, prepared: PreparedRun): string {
  const out = [`\nplaybook: ${playbook}\n`];
  for (const play of prepared.playbook.plays) {
    const pattern = Array.isArray(play.hosts) ? play.hosts.join(',') : play.hosts;
    const name = play.named ? play.name : pattern;
    // a dynamic include lists its own tags, not those of the tasks it brings (read at run time)
    const tasks = play.items.flatMap((item) =>
      item.kind === 'flush'
        ? []
        : item.kind === 'role'
          ? item.ref.tags
          : item.task.includeTags?.length
            ? item.task.includeTags[0]
            : item.task.tags,
    );
    out.push(
      `\n  play #${play.index + 1} (${pattern}): ${name}\tTAGS: ${sortedList(play.tags)}\n`,
      `      TASK TAGS: ${sortedList([...play.tags, ...tasks])}\n`,
    );
  }
  return out.join('');
}
