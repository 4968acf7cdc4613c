import { dirname, join, resolve } from 'node:path';
import { ansibleConfig } from '../config/ansible-config.ts';
import type { SettingName } from '../config/ansible-settings.ts';
import { InputError, type SourceLocation } from '../errors.ts';
import { addPluginDirsOf } from '../template/jinja/python-filters.ts';
import { entryLocation, locationOf } from '../yaml/load.ts';
import { expandAnsibleRole, type RoleExpansion } from './ansible-role.ts';
import { environmentLevel, innerEnvironment } from './environment.ts';
import { isLate } from './late-vars-files.ts';
import { refuseUsedVars, type VarProblem, varProblems } from './lazy-vars.ts';
import { passedDown } from './list-scope.ts';
import type {
  Play,
  Playbook,
  PlayItem,
  PlayRoleNames,
  PromptSpec,
  RoleRef,
  TaskSpec,
  VarsSource,
} from './model.ts';
import { moduleDefaults, readingPlayIn } from './module-defaults.ts';
import { anyErrorsFatal, lateVarsFiles, roleRef, staticVarsFile } from './play-parts.ts';
import { addPlayPlugins } from './play-plugins.ts';
import { readPlays } from './read-plays.ts';
import { ansibleRoleDir, ansibleRoleVars } from './role-files.ts';
import { ansibleRoleSearchPath, collectionRoots, roleSearchPath } from './role-path.ts';
import { TEMPLATED_PLAY_KEYWORDS } from './schema.ts';
import { type ListScope, parseTaskList } from './task-list.ts';
import { checkBecomeExtras } from './task-login.ts';
import { list } from './tasks.ts';
import { loadVarsFile } from './vars-file.ts';

const asItem = (task: TaskSpec): PlayItem =>
  task.flushHandlers ? { kind: 'flush' } : { kind: 'task', task };

const fail = (message: string, where: SourceLocation, hint?: string): never => {
  throw new InputError('SCHEMA', message, where, hint);
};

/** A play keyword's default from ansible.cfg / ANSIBLE_* (Ansible's own default where unset). */
const configured = (name: SettingName) => ansibleConfig().get(name).value;
export function loadPlaybook(
  path: string,
  /** extraVars: -e, which a templated role name may use. */
  options: { rolesPath?: string[]; extraVars?: Record<string, unknown> } = {},
): Playbook {
  const file = resolve(path);
  const mainDir = dirname(file);
  const raws = readPlays(file, [file], { vars: {}, tags: [], when: [] });
  const plays = raws.map(
    ({ raw, dir, file: from, vars: importVars, tags: importTags, when: importWhen }, index): Play => {
      const fileLoc = { file: from };
      const where = locationOf(raw) ?? fileLoc;
      const searchPath = ansibleRoleSearchPath(
        roleSearchPath({ playbookDir: dir, rolesPath: options.rolesPath }),
        dir,
      );
      const collections = collectionRoots(dir);
      readingPlayIn(collections);
      const roleNames: PlayRoleNames = { play: [], dependent: [], included: [] };
      const expansion: RoleExpansion = {
        searchPath,
        collections,
        seen: new Set(),
        exported: [],
        roleNames,
        playbookDir: dir,
      };
      const roleHandlers: TaskSpec[] = [];
      // the play's module_defaults: the outermost level, under those of blocks and tasks
      const defaults = moduleDefaults(raw, where);
      const playCollections = Array.isArray(raw.collections) ? (raw.collections as string[]) : undefined;
      const scope: ListScope = {
        dir,
        playDir: dir,
        collections: playCollections,
        vars: {},
        environment: environmentLevel(raw.environment, entryLocation(raw, 'environment') ?? where),
        // the play's any_errors_fatal is its own (a template there is true, as in ansible-core)
        keywords: Object.fromEntries(
          Object.entries(passedDown(raw)).filter(([k]) => k !== 'any_errors_fatal'),
        ),
        runOnce: raw.run_once === true || undefined,
        when: importWhen,
        tags: [],
        depth: 0,
        includeRole: (r, s) => expandAnsibleRole(r, expansion, s),
        moduleDefaults: defaults.size ? defaults : undefined,
      };
      const tasksOf = (key: string): TaskSpec[] => {
        const e = parseTaskList(
          raw[key] ?? [],
          entryLocation(raw, key) ?? where,
          key === 'handlers' ? { ...scope, inHandlers: true, when: [] } : scope,
        );
        roleHandlers.push(...e.handlers);
        return e.tasks;
      };
      // an Ansible role becomes its tasks here; a TypeScript role stays a role node
      const roleItems = (ref: RoleRef): PlayItem[] => {
        if (!ansibleRoleDir(ref.role, searchPath, collections, playCollections)) {
          roleNames.play.push(ref.role);
          // an import_playbook's `when` holds for a TypeScript role too
          const when = [...importWhen, ...(ref.when === undefined ? [] : [ref.when].flat())];
          return [{ kind: 'role', ref: importWhen.length ? { ...ref, when } : ref }];
        }
        const when = ref.when === undefined ? [] : [ref.when].flat();
        // a role entry's keywords apply to every task of the role; `vars:` and the other keys are its params
        const {
          vars: own,
          become,
          become_user,
          environment,
          ...params
        } = ref.params as Record<string, unknown>;
        const e = expandAnsibleRole(
          {
            name: ref.role,
            public: true,
            vars: { ...params, ...((own as object) ?? {}) },
            when,
            tags: ref.tags,
            location: ref.location,
            searchList: playCollections,
          },
          expansion,
          {
            ...scope,
            become: typeof become === 'boolean' ? become : scope.become,
            becomeUser: typeof become_user === 'string' ? become_user : scope.becomeUser,
            environment: innerEnvironment(scope.environment, environmentLevel(environment, ref.location)),
          },
        );
        roleHandlers.push(...e.handlers);
        return e.tasks.map(asItem);
      };
      // Python filter and test plugins: the playbook's and ansible.cfg's; the roles' below
      addPlayPlugins(dir, collections);
      // play vars are evaluated when used, as in Ansible: a problem is an error once something names it
      const problems: VarProblem[] = raw.vars
        ? varProblems(
            raw.vars as Record<string, unknown>,
            (key) => entryLocation(raw.vars as object, key) ?? where,
          )
        : [];
      // playbook_dir: Ansible's magic variable (lookups find files beside the playbook through it)
      const play: VarsSource[] = [
        { source: 'play vars', vars: (raw.vars as Record<string, unknown>) ?? {} },
        { source: 'import_playbook vars', vars: importVars },
        ...((raw.vars_files as unknown[]) ?? [])
          .filter((vf): vf is string => !isLate(vf))
          .map((vf, i) => ({
            source: `play vars_files ${vf}`,
            vars: loadVarsFile(
              staticVarsFile(dir, vf, entryLocation(raw.vars_files as object, i) ?? where),
              problems,
            ),
          })),
      ];
      const vars = Object.assign({ playbook_dir: dir }, ...play.map((p) => p.vars));
      const roles = ((raw.roles as unknown[]) ?? []).map((r, i) =>
        roleRef(r, entryLocation(raw.roles as object, i) ?? where, { ...vars, ...options.extraVars }),
      );
      const roleVars = roles.map((ref) => {
        const { vars: own, become: _b, become_user: _u, environment: _e, ...params } = ref.params;
        const dir = ansibleRoleDir(ref.role, searchPath, collections, playCollections);
        if (dir) addPluginDirsOf(dir);
        return {
          role: ref.role,
          ...(dir ? ansibleRoleVars(dir) : {}),
          params: { ...params, ...((own as Record<string, unknown>) ?? {}) },
        };
      });
      // a play of an imported file finds its files beside that file; connection: local runs its
      // tasks on this machine on behalf of each host, as delegate_to: localhost does
      const exported = expansion.exported ?? [];
      const section = <T>(f: () => T): [T, typeof exported] => {
        const from = exported.length;
        const out = f();
        return [out, exported.slice(from)];
      };
      const [pre, preExported] = section(() => tasksOf('pre_tasks').map(asItem));
      const [roleList, rolesExported] = section(() => roles.flatMap(roleItems));
      const rest = [...tasksOf('tasks'), ...tasksOf('post_tasks')].map(asItem);
      const handlerTasks = [...tasksOf('handlers'), ...roleHandlers];
      // the play's public roles (roles: first, then import_role where met): their defaults under
      // every task's own role defaults, their vars above the play's vars (ansible-core's VariableManager)
      const publicRoles = [
        ...rolesExported,
        ...preExported,
        ...exported.slice(preExported.length + rolesExported.length),
      ];
      // each task gets the public roles it can see: every import, and the includes read before it
      const visible = (t: TaskSpec) =>
        publicRoles.filter((e) => e.after === undefined || (t.seq ?? 0) > e.after);
      const place = (t: TaskSpec): TaskSpec => {
        const seen = visible(t);
        return {
          ...t,
          defaults: seen.length ? Object.assign({}, ...seen.map((e) => e.defaults), t.defaults) : t.defaults,
          vars: seen.length ? Object.assign({}, ...seen.map((e) => e.vars), t.vars) : t.vars,
          includeLoop: t.includeLoop?.map(place),
          searchDirs: t.searchDirs ?? (dir === mainDir ? undefined : [dir]),
          delegateTo: t.delegateTo ?? (raw.connection === 'local' ? 'localhost' : undefined),
        };
      };
      const items: PlayItem[] = [...pre, ...roleList, ...rest].map((item) =>
        item.kind === 'task' ? { ...item, task: place(item.task) } : item,
      );
      const handlers = handlerTasks.map(place);
      const roleDirs = items.flatMap((item) => (item.kind === 'task' ? (item.task.searchDirs ?? []) : []));
      refuseUsedVars(
        problems,
        JSON.stringify([items, handlers]),
        vars,
        [...new Set([dir, ...roleDirs])].map((d) => join(d, 'templates')),
      );
      const tsRole = items.find((item) => item.kind === 'role');
      if (raw.connection === 'local' && tsRole?.kind === 'role')
        fail(
          `connection: local is not supported with the TypeScript role ${tsRole.ref.role}`,
          entryLocation(raw, 'connection') ?? where,
          'a TypeScript role reaches other hosts with ctx.delegateTo',
        );
      const templated = Object.fromEntries(
        TEMPLATED_PLAY_KEYWORDS.filter((k) => JSON.stringify(raw[k] ?? '').includes('{{')).map((k) => [
          k,
          { text: raw[k], location: entryLocation(raw, k) ?? where },
        ]),
      );
      // a templated keyword has its value once rendered (play-keywords.ts); Ansible's default until then
      const given = (k: string) => (templated[k] ? undefined : raw[k]);
      const serial =
        given('serial') === undefined ? undefined : Array.isArray(raw.serial) ? raw.serial : [raw.serial];
      checkBecomeExtras(raw, where);
      return {
        index,
        name: typeof raw.name === 'string' ? raw.name : `play ${index + 1}`,
        named: typeof raw.name === 'string' || undefined,
        hosts: raw.hosts as string | string[],
        vars,
        items,
        handlers,
        serial: serial as Array<number | string> | undefined,
        maxFailPercentage: given('max_fail_percentage') as number | undefined,
        anyErrorsFatal: anyErrorsFatal(raw, where, configured('ANY_ERRORS_FATAL')),
        become: (given('become') ?? (templated.become ? undefined : configured('DEFAULT_BECOME'))) === true,
        becomeUser: raw.become_user as string | undefined,
        tags: [...importTags, ...list(raw.tags)],
        remoteUser: raw.remote_user as string | undefined,
        prompts: ((raw.vars_prompt as Record<string, unknown>[]) ?? []).map((p, i) => ({
          name: String(p.name),
          prompt: typeof p.prompt === 'string' ? p.prompt : String(p.name),
          default: p.default as PromptSpec['default'],
          private: p.private !== false,
          confirm: p.confirm === true,
          location: entryLocation(raw.vars_prompt as object, i) ?? where,
        })),
        gatherFacts:
          (given('gather_facts') ??
            (templated.gather_facts
              ? undefined
              : ansibleConfig().get('DEFAULT_GATHERING').value !== 'explicit')) !== false,
        factPath: raw.fact_path as string | undefined,
        lateVarsFiles: lateVarsFiles(raw, where),
        dir,
        forceHandlers: (raw.force_handlers ?? configured('DEFAULT_FORCE_HANDLERS')) === true || undefined,
        order: raw.order as Play['order'],
        templated: Object.keys(templated).length ? templated : undefined,
        varSources: { play, roles: roleVars },
        roleNames,
        barrier: raw.barrier === true,
        location: where,
      };
    },
  );
  return { file, dir: mainDir, dirs: [...new Set(raws.map((r) => r.dir))], plays };
}
