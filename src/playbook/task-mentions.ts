/**
 * What a task's templates can name: its own fields, its template file, and the variables those
 * name, followed to the end (a play var `root: "/srv/{{ ansible_hostname }}"` used as
 * `{{ root }}/etc`). The executor fetches facts and hostvars only for a task that can name them;
 * the plan keeps in step the hosts of a task that names the play's live host lists.
 */
import { readLocalFile } from './local-files.ts';
import type { TaskSpec } from './model.ts';
import { taskDirs } from './task-scope.ts';

const FACT_NAME = /\bansible_(facts|[a-z_]+)\b/g;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/g;
const LIVE_HOST_LISTS = /\b(ansible_play_hosts|ansible_play_batch|play_hosts)\b/;

const asText = new WeakMap<object, string>();
function textOf(value: object): string {
  let text = asText.get(value);
  if (text === undefined) {
    text = JSON.stringify(value) ?? '';
    asText.set(value, text);
  }
  return text;
}

/** The task's own text and, undefined when it cannot be known before the run, its template file's. */
function readTexts(task: TaskSpec, searchDirs: string[]): string[] | undefined {
  const own = JSON.stringify([
    task.when,
    task.params,
    task.loop,
    task.changedWhen,
    task.failedWhen,
    task.until,
    task.vars,
    task.defaults,
    task.environment,
    task.delegateTo,
  ]);
  if (task.module !== 'template') return [own];
  const src = task.params.src;
  if (typeof src !== 'string' || src.includes('{{')) return undefined;
  try {
    // quorum's templates include no other file (validate refuses {% include %} and its kin)
    return [own, readLocalFile(taskDirs(task, searchDirs), src, 'templates')];
  } catch {
    return undefined; // the step reports a missing file; gathering changes nothing about that
  }
}

// the same task runs on every host: its texts are read once (a file read per host and task was
// 0.2 s of a converged run on 1,000 hosts)
const textsOf = new WeakMap<TaskSpec, { texts: string[] | undefined }>();
function taskTexts(task: TaskSpec, searchDirs: string[]): string[] | undefined {
  let entry = textsOf.get(task);
  if (!entry) {
    entry = { texts: readTexts(task, searchDirs) };
    textsOf.set(task, entry);
  }
  return entry.texts;
}

/** What a text names: read once per distinct text (the same task and values recur on every host). */
export interface Scan {
  names: string[];
  facts: string[];
  hostvars: boolean;
  /** ansible_play_hosts, ansible_play_batch or play_hosts: lists that change as hosts fail. */
  playHosts: boolean;
}
const scans = new Map<string, Scan>();
const MAX_SCANS = 10_000;

function scan(text: string): Scan {
  let s = scans.get(text);
  if (!s) {
    s = {
      names: [...new Set(text.match(NAME) ?? [])],
      facts: [...new Set(Array.from(text.matchAll(FACT_NAME), (m) => m[0]))],
      // merge_variables with `groups` reads the hosts' variables through hostvars, as Ansible's does
      hostvars: text.includes('hostvars') || text.includes('merge_variables'),
      playHosts: LIVE_HOST_LISTS.test(text),
    };
    if (scans.size >= MAX_SCANS) scans.clear();
    scans.set(text, s);
  }
  return s;
}

/**
 * Whether `found` matches the task's texts or the values of the variables they name, followed
 * to the end (a variable may name another). A template whose file is not known before the run
 * answers `unknownFile`.
 */
export function taskMentions(
  task: TaskSpec,
  vars: Record<string, unknown>,
  searchDirs: string[],
  found: (text: Scan, defined: (name: string) => boolean) => boolean,
  /** The answer when the task's template file is named only at run time. */
  unknownFile = true,
): boolean {
  const own = taskTexts(task, searchDirs);
  if (!own) return unknownFile;
  const texts = [...own];
  // the task's vars, then the host's, then its role's defaults (no merged copy: vars holds
  // every group and host list, copied for each host and task)
  const layers = [task.vars, vars, task.defaults].filter((o) => o !== undefined);
  const layer = (name: string) => layers.find((o) => Object.hasOwn(o, name));
  const followed = new Set<string>();
  for (let i = 0; i < texts.length; i++) {
    const s = scan(texts[i]);
    if (found(s, (name) => layer(name) !== undefined)) return true;
    for (const name of s.names) {
      const holder = layer(name);
      if (followed.has(name) || !holder) continue;
      followed.add(name);
      const value = holder[name];
      if (typeof value === 'string') {
        if (value.includes('{{') || value.includes('{%')) texts.push(value);
      } else if (value && typeof value === 'object') {
        const text = textOf(value);
        if (text.includes('{{') || text.includes('{%')) texts.push(text);
      }
    }
  }
  return false;
}
