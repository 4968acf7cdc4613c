/** ansible-playbook's output read as task statuses (no vitest here: test/tools use it too). */

/**
 * A looped task's status from its items' statuses, as Ansible's own for the task: failed, changed,
 * ok, skipped. quorum's would_change (a check run, or a task in check_mode) is Ansible's changed.
 */
export function folded(statuses: string[]): string {
  const named = statuses.map((s) => (s === 'would_change' ? 'changed' : s));
  return ['failed', 'changed', 'ok', 'skipped'].find((s) => named.includes(s)) ?? 'skipped';
}

/**
 * The tasks ansible-playbook ran on `host`, in order, each with its status (`fatal` read as
 * failed, a loop's items folded); the blocks that start at `heading` (handlers too with
 * /^(?:TASK|RUNNING HANDLER) \[/m).
 */
export function ansibleTasks(stdout: string, host = 'h1', heading = /^TASK \[/m): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  // a delegated task's line names the delegate too: `ok: [h1 -> localhost]`
  const line = new RegExp(`^(ok|changed|fatal|failed|skipping): \\[${host}(?: -> [^\\]]+)?\\]`, 'gm');
  for (const block of stdout.split(heading).slice(1)) {
    const statuses = [...block.matchAll(line)].map((m) =>
      m[1] === 'fatal' ? 'failed' : m[1] === 'skipping' ? 'skipped' : m[1],
    );
    // an include's "included: FILE for h1, h2" is an ok of its own (ansible-playbook's recap counts it)
    for (const m of block.matchAll(/^included: .* for ([^\n]+?)(?: =>.*)?$/gm))
      if (m[1].split(', ').includes(host)) statuses.push('ok');
    const name = block.slice(0, block.indexOf(']'));
    // quorum gathers facts inside the first task that names one, not as a task of its own
    if (statuses.length && name !== 'Gathering Facts') out.push([name, folded(statuses)]);
  }
  return out;
}

/** ansible-playbook's status of each task on `host`, by task name. */
export function ansibleStatuses(stdout: string, host = 'h1'): Record<string, string> {
  return Object.fromEntries(ansibleTasks(stdout, host));
}
