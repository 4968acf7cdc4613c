/**
 * The engine's layers, from its own imports (types included): no import circles anywhere in
 * src/, and the lower layers do not reach up (playbook/ and plan/ do not import the executor,
 * playbook/ does not import the role registry, modules/ import no play or run, schema/ nothing above it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const files = sources(SRC);
const imports = new Map(
  files.map((f) => [
    f,
    [...readFileSync(f, 'utf8').matchAll(/^(?:import|export)[^'";]*?from\s+'(\.[^']+)'/gm)].map((m) =>
      resolve(dirname(f), m[1]),
    ),
  ]),
);
const rel = (f: string) => relative(SRC, f);

/** Strongly connected groups of more than one file (Tarjan). */
function circles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of imports.get(v) ?? []) {
      if (!imports.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        group.push(rel(w));
      } while (w !== v);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return found;
}

it('has no import circles', () => {
  expect(circles()).toEqual([]);
});

it('keeps the lower layers from importing the upper ones', () => {
  const reaching = (from: string, to: string[]) =>
    files
      .filter((f) => rel(f).startsWith(`${from}/`))
      .flatMap((f) =>
        (imports.get(f) ?? [])
          .filter((d) => to.some((t) => rel(d).startsWith(`${t}/`) || rel(d) === t))
          .map((d) => `${rel(f)} -> ${rel(d)}`),
      );
  expect(reaching('playbook', ['execute', 'roles/registry.ts'])).toEqual([]);
  expect(reaching('plan', ['execute'])).toEqual([]);
  expect(reaching('inventory', ['execute', 'playbook', 'plan'])).toEqual([]);
  // modules are what the engine runs: they know the transport and templates, not plays or runs
  expect(reaching('modules', ['execute', 'playbook', 'plan', 'roles/registry.ts'])).toEqual([]);
  expect(reaching('schema', ['execute', 'playbook', 'plan', 'modules', 'roles'])).toEqual([]);
});
