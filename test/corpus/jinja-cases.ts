/**
 * Every Jinja2 expression, condition and template in the corpus' roles, each with the vars a
 * Debian 12 host would give it (role defaults, the role's vars for Debian, Debian 12 facts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolveVars } from '../../src/plan/vars.ts';
import { renderDeep } from '../../src/template/render.ts';

export interface Case {
  role: string;
  where: string;
  kind: 'value' | 'cond' | 'file';
  src: string;
  vars: Record<string, unknown>;
}

export const ROLES_DIR = new URL('./roles/', import.meta.url).pathname;

const FACTS = {
  os_family: 'Debian',
  distribution: 'Debian',
  distribution_major_version: '12',
  distribution_version: '12.8',
  distribution_release: 'bookworm',
  architecture: 'x86_64',
  machine: 'x86_64',
  system: 'Linux',
  hostname: 'node1',
  fqdn: 'node1.example.test',
  service_mgr: 'systemd',
  pkg_mgr: 'apt',
  processor_vcpus: 2,
  memtotal_mb: 4096,
  swaptotal_mb: 0,
  default_ipv4: { address: '10.0.0.11', interface: 'eth0' },
  python: { version: { major: 3, minor: 11 } },
  env: { HOME: '/root' },
  memory_mb: { real: { total: 4096 }, swap: { total: 0 } },
};

export function debianVars(): Record<string, unknown> {
  const vars: Record<string, unknown> = {
    inventory_hostname: 'node1',
    groups: { all: ['node1', 'node2'], ungrouped: ['node1', 'node2'] },
    group_names: [],
    ansible_facts: FACTS,
    ansible_check_mode: false,
    // the template module defines it
    ansible_managed: 'Ansible managed',
    role_path: '',
  };
  for (const [k, v] of Object.entries(FACTS)) vars[`ansible_${k}`] = v;
  return vars;
}

const load = (file: string): unknown => parse(readFileSync(file, 'utf8'), { version: '1.1' });
const TEMPLATED = /\{\{|\{%/;

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string' && TEMPLATED.test(v)) out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

const CONDITIONS = ['when', 'changed_when', 'failed_when', 'until'];

function tasksOf(list: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(list)) return [];
  return list.flatMap((t) => {
    const task = t as Record<string, unknown>;
    return [task, ...tasksOf(task.block), ...tasksOf(task.rescue), ...tasksOf(task.always)];
  });
}

/** What a registered command or stat result looks like, so expressions over it have values. */
const REGISTERED = {
  changed: true,
  failed: false,
  skipped: false,
  rc: 0,
  stdout: 'HA-Proxy version 2.6.12 2023/01/01 - https://haproxy.org/',
  stdout_lines: ['HA-Proxy version 2.6.12 2023/01/01 - https://haproxy.org/'],
  stderr: '',
  stat: { exists: true, isdir: false, size: 1024, mode: '0644' },
  json: { tag_name: 'v1.8.2' },
  results: [],
};

function registeredNames(dir: string): string[] {
  const names: string[] = [];
  for (const sub of ['tasks', 'handlers'])
    if (existsSync(join(dir, sub)))
      for (const file of readdirSync(join(dir, sub)))
        for (const t of tasksOf(load(join(dir, sub, file))))
          if (typeof t.register === 'string') names.push(t.register);
  return names;
}

/** A task's loop, rendered, when it is known now: its first item stands for `item`. */
function firstItem(task: Record<string, unknown>, vars: Record<string, unknown>): unknown {
  const loop = task.loop ?? task.with_items;
  try {
    const items = renderDeep(loop, vars);
    return Array.isArray(items) ? items.flat()[0] : undefined;
  } catch {
    return undefined;
  }
}

/** The hand-written cases of expressions.yml: every filter, test and lookup quorum claims. */
export function expressionCases(): Case[] {
  const doc = load(new URL('./expressions.yml', import.meta.url).pathname) as {
    vars: Record<string, unknown>;
    cases: string[];
    conditions: string[];
  };
  const vars = { ...debianVars(), ...doc.vars };
  return [
    ...doc.cases.map(
      (src, i): Case => ({
        role: 'expressions',
        where: `expressions.yml cases[${i}]`,
        kind: 'value',
        src,
        vars,
      }),
    ),
    ...doc.conditions.map(
      (src, i): Case => ({
        role: 'expressions',
        where: `expressions.yml conditions[${i}]`,
        kind: 'cond',
        src,
        vars,
      }),
    ),
  ];
}

/** Play vars of the playbooks that run the corpus roles in the lab (test/fixtures/playbooks). */
const LAB_PLAY_VARS: Record<string, unknown> = Object.assign(
  {},
  ...['ansible-corpus.yml', 'ansible-corpus-others.yml'].map(
    (f) => (load(join(ROLES_DIR, '../../fixtures/playbooks', f)) as Array<{ vars?: object }>)[0].vars ?? {},
  ),
);

const loopVarOf = (task: Record<string, unknown>) =>
  String((task.loop_control as { loop_var?: string } | undefined)?.loop_var ?? 'item');

/** A tasks file included in a loop sees the loop's first item under its loop_var (robertdebock.users). */
function includeScopes(dir: string, vars: Record<string, unknown>): Map<string, Record<string, unknown>> {
  const scopes = new Map<string, Record<string, unknown>>();
  if (!existsSync(join(dir, 'tasks'))) return scopes;
  for (const file of filesUnder(join(dir, 'tasks')).filter((f) => /\.ya?ml$/.test(f)))
    for (const task of tasksOf(load(join(dir, 'tasks', file)))) {
      const inc = task.include_tasks ?? task['ansible.builtin.include_tasks'];
      const target = typeof inc === 'string' ? inc : (inc as { file?: string } | undefined)?.file;
      const item = target ? firstItem(task, vars) : undefined;
      if (target && item !== undefined) scopes.set(`tasks/${target}`, { [loopVarOf(task)]: item });
    }
  return scopes;
}

/** Files under a folder, at any depth (roles keep templates in etc/... trees), sorted. */
const filesUnder = (dir: string) =>
  (readdirSync(dir, { recursive: true }) as string[]).filter((f) => statSync(join(dir, f)).isFile()).sort();

export function corpusCases(): Case[] {
  const cases: Case[] = [];
  for (const role of readdirSync(ROLES_DIR).sort()) {
    const dir = join(ROLES_DIR, role);
    const raw: Record<string, unknown> = { ...debianVars(), role_path: dir };
    if (existsSync(join(dir, 'defaults/main.yml'))) Object.assign(raw, load(join(dir, 'defaults/main.yml')));
    // the vars the lab differential gives the roles (its playbooks' play vars), above defaults
    Object.assign(raw, LAB_PLAY_VARS);
    for (const f of ['vars/main.yml', 'vars/Debian.yml'])
      if (existsSync(join(dir, f))) Object.assign(raw, load(join(dir, f)));
    // vars that refer to vars are resolved as the engine resolves them
    const roleVars = resolveVars(raw);
    for (const name of registeredNames(dir)) roleVars[name] = REGISTERED;
    const vars = roleVars;
    const scopes = includeScopes(dir, roleVars);
    for (const sub of ['tasks', 'handlers']) {
      if (!existsSync(join(dir, sub))) continue;
      for (const file of filesUnder(join(dir, sub))) {
        if (!/\.ya?ml$/.test(file)) continue;
        const fileVars = { ...roleVars, ...scopes.get(`${sub}/${file}`) };
        for (const task of tasksOf(load(join(dir, sub, file)))) {
          const where = `${role}/${sub}/${file}: ${String(task.name ?? '(unnamed)')}`;
          const item = firstItem(task, fileVars);
          const vars = item === undefined ? fileVars : { ...fileVars, [loopVarOf(task)]: item };
          for (const key of CONDITIONS) {
            const c = task[key];
            for (const src of Array.isArray(c) ? c : c === undefined ? [] : [c])
              if (typeof src === 'string')
                cases.push({ role, where: `${where} ${key}`, kind: 'cond', src, vars });
          }
          const rest = Object.fromEntries(Object.entries(task).filter(([k]) => !CONDITIONS.includes(k)));
          for (const src of strings(rest)) cases.push({ role, where, kind: 'value', src, vars });
        }
      }
    }
    if (existsSync(join(dir, 'templates')))
      for (const file of filesUnder(join(dir, 'templates')))
        cases.push({
          role,
          where: `${role}/templates/${file}`,
          kind: 'file',
          src: readFileSync(join(dir, 'templates', file), 'utf8'),
          vars,
        });
  }
  return cases;
}
