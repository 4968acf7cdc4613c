/**
 * A task's module parameters checked before the run (validate.ts asks per host): the names the
 * module has, then the rendered values against its schema and its own check of controller
 * files; what an earlier task may still make is said, not refused.
 */
import { InputError } from '../errors.ts';
import { ansibleArgs } from '../modules/args.ts';
import { findModule } from '../modules/registry.ts';
import { didYouMean, explainParam, mostUseful } from '../playbook/errors.ts';
import { listLocalDir, readLocalBytes, readLocalFile } from '../playbook/local-files.ts';
import type { TaskSpec } from '../playbook/model.ts';
import { validator } from '../schema/ajv.ts';
import { CONTROLLER_STATE, MissingVariable, renderDeep } from '../template/render.ts';
import { entryLocation, noteWarning } from '../yaml/load.ts';
import { staticallyTrue } from './static-conditions.ts';

/** In the run-time names: every name may be set during the run (the playbook loads some then). */
export const ANY_NAME = '*';

/** The missing file's name, from FILE_MISSING's message, is an absolute path. */
const missingAbsolute = (e: InputError) => /^cannot find \w+(?: file)? "\//.test(e.message);

/** Said, not refused: a typo in a file name shows before the run, a file a task makes still works. */
export function stateWarning(e: InputError, task: TaskSpec): void {
  noteWarning(`${e.message} (now; the task fails when it runs if that is still so)`, task.location);
}

/**
 * A parameter the module does not have is known from the task as written, before any value
 * is rendered: checked even where values wait for run-time variables (include_vars, facts).
 */
export function checkParamNames(task: TaskSpec) {
  const mod = findModule(task.module);
  const schema = mod?.schema as { properties?: Record<string, unknown>; additionalProperties?: unknown };
  if (!schema?.properties || schema.additionalProperties !== false) return;
  const names = Object.keys(schema.properties);
  for (const key of Object.keys(task.params ?? {})) {
    if (names.includes(key)) continue;
    const guess = didYouMean(key, names);
    throw new InputError(
      'MODULE_PARAM',
      `${task.module}: unknown parameter "${key}"`,
      entryLocation(task.paramsNode, key) || task.location,
      guess ? `did you mean "${guess}"?` : `parameters of ${task.module}: ${names.join(', ')}`,
    );
  }
}

/**
 * The name to judge for an undefined `root`: a variable that is there but whose own template
 * names what is not (robertdebock.java's `java_version` from a default built from facts) is
 * undefined by that inner name, followed to the end.
 */
function innerUndefined(root: string, vars: Record<string, unknown>): string {
  let name = root;
  for (let depth = 0; depth < 20 && Object.hasOwn(vars, name); depth++) {
    try {
      renderDeep(vars[name], vars);
      return name;
    } catch (e) {
      if (!(e instanceof MissingVariable)) return name;
      const inner = e.variable.split(/[.[]/)[0];
      if (inner === name) return name;
      name = inner;
    }
  }
  return name;
}

export function checkParams(
  task: TaskSpec,
  vars: Record<string, unknown>,
  deferred: Set<string>,
  host: string,
  searchDirs: string[],
) {
  let params: Record<string, unknown>;
  try {
    params = ansibleArgs(findModule(task.module)!, renderDeep(task.params, vars) as Record<string, unknown>);
  } catch (e) {
    // a controller file an earlier task may make: the task fails when it runs, if it still fails
    if (e instanceof InputError && e.code === CONTROLLER_STATE) return stateWarning(e, task);
    if (e instanceof InputError) {
      const key = Object.keys(task.params).find((k) => {
        try {
          renderDeep(task.params[k], vars);
          return false;
        } catch {
          return true;
        }
      });
      throw e.locatedAt((key && entryLocation(task.paramsNode, key)) || task.location);
    }
    if (!(e instanceof MissingVariable)) throw e;
    const root = innerUndefined(e.variable.split(/[.[]/)[0], vars);
    // facts under Ansible's names (ansible_os_family ...) exist once the task gathers them
    if (deferred.has(root) || deferred.has(ANY_NAME) || /^ansible_[a-z_]+$/.test(root)) return;
    // a task with a condition may be skipped on this host (a RedHat step on Debian): if it
    // runs, the undefined variable fails it there, by name
    if (task.when !== undefined && !staticallyTrue(task.when, vars)) return;
    const key = Object.keys(task.params).find((k) => JSON.stringify(task.params[k]).includes(e.variable));
    throw new InputError(
      'TEMPLATE',
      root === e.variable.split(/[.[]/)[0]
        ? `undefined variable "${e.variable}" for host ${host}`
        : `undefined variable "${root}" for host ${host} (in the value of "${e.variable}")`,
      (key && entryLocation(task.paramsNode, key)) || task.location,
      "define it in the inventory, in the play's vars, or with -e",
    );
  }
  const mod = findModule(task.module)!;
  if (JSON.stringify(params).includes('{{')) return;
  const check = validator(mod.schema);
  if (!check(params)) {
    const names = Object.keys((mod.schema as { properties?: object }).properties ?? {});
    const problem = explainParam(mostUseful(check.errors!), params, names);
    throw new InputError(
      'MODULE_PARAM',
      `${task.module}: ${problem.message}`,
      (problem.key && entryLocation(task.paramsNode, problem.key)) || task.location,
      problem.hint ?? `parameters of ${task.module}: ${names.join(', ')}`,
    );
  }
  let problems: string[];
  try {
    problems =
      mod.check?.(
        params,
        (path, kind) => readLocalFile(searchDirs, path, kind),
        (path, kind) => listLocalDir(searchDirs, path, kind),
        (path, kind) => readLocalBytes(searchDirs, path, kind),
      ) ?? [];
  } catch (e) {
    // a controller file named by its absolute path (a CA folder an earlier task or playbook
    // fills: githubixx's kubernetes_worker) is controller state: said, and the task fails when
    // it runs if it is still missing; a relative one (a role's files/) is a typo: refused
    if (e instanceof InputError && e.code === 'FILE_MISSING' && missingAbsolute(e))
      return stateWarning(e, task);
    if (e instanceof InputError) throw e.locatedAt(task.location);
    throw e;
  }
  if (problems.length)
    throw new InputError(
      'MODULE_CHECK',
      `${task.module} for host ${host}: ${problems.join('; ')}`,
      task.location,
    );
}

const checkedSources = new Set<string>();

/** `lookup('template', 'name.j2')` (and query/q, the FQCN): the files a task's values render, by a literal name. */
const TEMPLATE_LOOKUP =
  /\b(?:lookup|query|q)\(\s*(['"])(?:ansible\.builtin\.)?template\1\s*,\s*(['"])([^'"{}]+)\2/g;

/**
 * The .j2 files a task renders are checked wherever their names are known, also where the
 * other parameters wait for values of the run (a loop over a registered list, a dest from the
 * item: debops' sysctl): a template task's `src`, and a template lookup's literal file name in
 * any of its values (debops' apt_install renders its package list so). The file is the same for
 * every item and host, and what quorum refuses in it must show before the run. Each file once
 * per place it is looked for in.
 */
export function checkTemplateSource(task: TaskSpec, vars: Record<string, unknown>, searchDirs: string[]) {
  const template = findModule('template');
  if (!template?.check) return;
  const sources = [
    ...JSON.stringify(task.params ?? {})
      .replaceAll('\\"', '"')
      .matchAll(TEMPLATE_LOOKUP),
  ].map((m) => m[3]);
  if (findModule(task.module)?.name === 'template' && typeof task.params?.src === 'string') {
    try {
      sources.push(renderDeep(task.params.src, vars) as string);
    } catch {
      // named by a value of the run or of the item: checked with the item, if known
    }
  }
  for (const src of sources) {
    if (typeof src !== 'string' || src.includes('{{')) continue;
    const key = `${searchDirs.join('\0')}\0${src}`;
    if (checkedSources.has(key)) continue;
    try {
      template.check({ src }, (path, kind) => readLocalFile(searchDirs, path, kind));
    } catch (e) {
      // a missing file is the full check's to say (it knows whether an earlier task makes it)
      if (e instanceof InputError && e.code === 'FILE_MISSING') continue;
      if (e instanceof InputError) throw e.locatedAt(task.location);
      throw e;
    }
    checkedSources.add(key);
  }
}
