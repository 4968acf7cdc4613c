/**
 * Every Jinja2 expression, condition and template in the corpus' roles, each with the vars a
 * Debian 12 host would give it (role defaults, the role's vars for Debian, Debian 12 facts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

export function corpusCases(): Case[] {
  const cases: Case[] = [];
  for (const role of readdirSync(ROLES_DIR).sort()) {
    const dir = join(ROLES_DIR, role);
    const raw: Record<string, unknown> = { ...debianVars(), role_path: dir };
    for (const f of ['defaults/main.yml', 'vars/main.yml', 'vars/Debian.yml'])
      if (existsSync(join(dir, f))) Object.assign(raw, load(join(dir, f)));
    // vars that refer to vars are resolved as the engine resolves them
    const roleVars = resolveVars(raw);
    for (const name of registeredNames(dir)) roleVars[name] = REGISTERED;
    const vars = roleVars;
    for (const sub of ['tasks', 'handlers']) {
      if (!existsSync(join(dir, sub))) continue;
      for (const file of readdirSync(join(dir, sub)).sort()) {
        for (const task of tasksOf(load(join(dir, sub, file)))) {
          const where = `${role}/${sub}/${file}: ${String(task.name ?? '(unnamed)')}`;
          const item = firstItem(task, roleVars);
          const vars = item === undefined ? roleVars : { ...roleVars, item };
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
      for (const file of readdirSync(join(dir, 'templates')).sort())
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
