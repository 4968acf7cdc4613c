/** Ansible's INI inventory format, parsed line by line as ansible-core's ini plugin does. */
import { InputError, withLocation } from '../errors.ts';
import { expandHostPattern } from './address.ts';
import type { InventoryData } from './model.ts';
import { iniValue } from './py-literal.ts';
import { ShlexError, shlexSplit } from './shlex.ts';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/u;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/u;

interface Pending {
  line: number;
  state: 'vars' | 'children';
  parents: string[];
}

export function parseIni(inv: InventoryData, text: string, file: string) {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state = 'hosts';
  let lineno = 0;
  const fail = (message: string, hint?: string): never => {
    throw new InputError('INVENTORY_SYNTAX', message, { file, line: lineno }, hint);
  };
  const resolvePending = (name: string) => {
    for (const parent of pending.get(name)!.parents) {
      inv.addChild(parent, name);
      if (pending.get(parent)?.state === 'children') resolvePending(parent);
    }
    pending.delete(name);
  };

  for (const rawLine of lines) {
    lineno++;
    // errors from the model (cycles, bad ranges) learn the line they came from
    withLocation(() => parseLine(rawLine.trim()), { file, line: lineno });
  }
  function parseLine(line: string) {
    if (!line || line[0] === '#' || line[0] === ';') return;
    const section = SECTION.exec(line);
    if (section) {
      group = section[1];
      state = section[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) {
        fail(
          `section [${group}:${state}] has unknown type "${state}"`,
          'expected [group], [group:vars] or [group:children]',
        );
      }
      if (!inv.groups.has(group)) {
        if (state === 'vars' && !pending.has(group))
          pending.set(group, { line: lineno, state: 'vars', parents: [] });
        inv.addGroup(group);
      }
      const waiting = pending.get(group);
      if (waiting && state !== 'vars') {
        if (waiting.state === 'children') resolvePending(group);
        else pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(
        `invalid section entry "${line}"`,
        'section names may not contain spaces; expected [group], [group:vars] or [group:children]',
      );
    }
    if (state === 'hosts') {
      let tokens: string[];
      try {
        tokens = shlexSplit(line);
      } catch (e) {
        if (!(e instanceof ShlexError)) throw e;
        return fail(`cannot parse host definition "${line}": ${e.message}`, 'check the quotes on this line');
      }
      if (tokens.length === 0) return;
      const { hosts, port } = expandHostPattern(tokens[0]);
      if (tokens[0].trim().endsWith(':') && port === undefined) {
        fail(`invalid host pattern "${tokens[0]}": a trailing ":" is reserved for a port`);
      }
      if (hosts.some((h) => h.trim() === '---'))
        fail(`invalid host pattern "${tokens[0]}": this looks like a YAML file`);
      const vars: Array<[string, unknown]> = [];
      for (const t of tokens.slice(1)) {
        const eq = t.indexOf('=');
        if (eq < 0) fail(`expected key=value host variable assignment, got "${t}"`);
        vars.push([t.slice(0, eq), iniValue(t.slice(eq + 1))]);
      }
      for (const name of hosts) {
        inv.addHost(name, group, port);
        for (const [k, v] of vars) inv.setVariable(name, k, v);
      }
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`expected key=value, got "${line}"`);
      inv.setVariable(group, line.slice(0, eq).trim(), iniValue(line.slice(eq + 1).trim()));
    } else {
      const m = GROUP_NAME.exec(line);
      if (!m) return fail(`expected a group name, got "${line}"`);
      const child = m[1];
      if (inv.groups.has(child)) inv.addChild(group, child);
      else {
        const p = pending.get(child);
        if (p) p.parents.push(group);
        else pending.set(child, { line: lineno, state: 'children', parents: [group] });
      }
    }
  }
  for (const [name, p] of pending) {
    const where = { file, line: p.line };
    if (p.state === 'vars') {
      throw new InputError(
        'INVENTORY_GROUP',
        `section [${name}:vars] is for a group that is never declared`,
        where,
      );
    }
    throw new InputError(
      'INVENTORY_GROUP',
      `section [${p.parents[p.parents.length - 1]}:children] includes undefined group "${name}"`,
      where,
      `declare it with a [${name}] section (it may be empty)`,
    );
  }
}
