/** The RoleContext a role's `run` receives: module helpers, notify, publish/lookup, secrets. */
import type { Facts } from '../facts/gather.ts';
import { inventoryVars } from '../plan/vars.ts';
import { didYouMean } from '../playbook/errors.ts';
import { readLocalFile } from '../playbook/local-files.ts';
import {
  type AnyRole,
  type DelegatedContext,
  type RoleContext,
  STEP_HELPERS,
  type StepOptions,
  type StepResult,
} from '../roles/define.ts';
import { renderFile } from '../template/render.ts';
import { UnreachableError } from '../transport/types.ts';
import type { HostEnv } from './host.ts';
import { handlerKey } from './pending-handlers.ts';
import { RoleFailure } from './role-failure.ts';
import { publishedValues, readOnlyNow } from './role-values.ts';
import type { RoleRunInfo, RunState } from './state.ts';
import { runStep } from './step.ts';

/** Thrown inside a role to stop it on this host; reported as a failure, never a stack trace. */
export { RoleFailure };

function mainParam(params: Record<string, unknown>): string {
  for (const key of ['name', 'path', 'dest', 'cmd', 'url', 'port']) {
    const v = params[key];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    if (Array.isArray(v)) return v.join(', ');
  }
  return '';
}

export function createRoleContext(
  run: RunState,
  host: HostEnv,
  facts: Facts,
  vars: Record<string, unknown>,
  info: RoleRunInfo,
): RoleContext {
  const ensure = async (
    module: string,
    params: Record<string, unknown>,
    options: StepOptions = {},
  ): Promise<StepResult> => {
    const name = options.name ?? `${module} ${mainParam(params)}`.trim();
    const notify = options.notify === undefined ? [] : [options.notify].flat();
    // before the step runs, whatever it then reports: a typo must not wait for the first change
    for (const h of notify) knownHandler(info.role, h, `step "${name}" notifies`);
    const outcome = await runStep(
      run,
      host,
      info.nodeId,
      {
        name: `${info.role.name}${info.onBehalfOf ? ` (on ${host.name})` : ''}: ${name}`,
        reportAs: info.onBehalfOf,
        module,
        params,
        noLog: options.noLog,
        become: options.become ?? info.become,
        searchDirs: info.searchDirs,
        until: options.until,
        retries: options.retries,
        delay: options.delay,
        readOnly: readOnlyNow(info),
        // a delegated step reads another host: not this node's to learn
        ...(info.onBehalfOf ? {} : { lookahead: info.probes?.lookahead, noteProbe: info.probes?.note }),
        durable:
          notify.length > 0 && !info.inHandler && !info.onBehalfOf
            ? notify.map((h) => handlerKey({ role: info.role.name }, h))
            : undefined,
      },
      vars,
    );
    if (outcome.status === 'failed') throw new RoleFailure(outcome.error?.message ?? `${name} failed`);
    if (outcome.changed) info.changed = true;
    if (outcome.changed && !info.inHandler)
      for (const h of notify) info.notified.set(h, [...(info.notified.get(h) ?? []), name]);
    return { changed: outcome.changed, result: outcome.result };
  };
  const helper =
    (module: string) =>
    // biome-ignore lint/suspicious/noExplicitAny: each helper is typed by RoleContext
    (params: any, options?: StepOptions) =>
      ensure(module, params as Record<string, unknown>, options);

  return {
    host: host.name,
    facts,
    vars,
    hosts: (pattern) => run.matcher.hosts(pattern).map((h) => h.name),
    hostVars: (name) => hostVarsOf(run, name),
    ensure,
    command: helper('command'),
    shell: helper('shell'),
    file: helper('file'),
    copy: helper('copy'),
    template: helper('template'),
    lineinfile: helper('lineinfile'),
    blockinfile: helper('blockinfile'),
    // TypeScript roles install lean (no recommends) unless they say; inline apt follows apt
    package: (params, options) =>
      helper('package')({ install_recommends: false, ...params } as never, options),
    service: helper('service'),
    sysctl: helper('sysctl'),
    modprobe: helper('modprobe'),
    getUrl: helper('get_url'),
    waitFor: helper('wait_for'),
    query: helper('query'),
    k8s: helper('k8s'),
    render(template, extra = {}) {
      const out = renderFile(readLocalFile(info.searchDirs, template, 'templates'), { ...vars, ...extra });
      // a value known only after apply makes the text unknown too (its steps become predictions)
      return String(out);
    },
    notify(handler) {
      knownHandler(info.role, handler, 'notify');
      if (info.inHandler) return;
      info.notified.set(handler, [...(info.notified.get(handler) ?? []), '(notified directly)']);
      if (run.options.durableHandlers && !run.options.check && !readOnlyNow(info) && !info.onBehalfOf)
        host.pending
          .add([handlerKey({ role: info.role.name }, handler)], run.runId, '(notified directly)')
          .catch((e) => run.emit({ type: 'warning', message: `${host.name}: ${(e as Error).message}` }));
    },
    ...publishedValues(run, host, info),
    secret(value) {
      run.addSecret(value);
      return value;
    },
    fail(message): never {
      throw new RoleFailure(message);
    },
    async delegateTo(name) {
      const other = run.hostEnv(name);
      const facts = await other.facts();
      const otherVars = { ...hostVarsOf(run, name), ...run.options.extraVars };
      // changes made there count as this role's changes here too
      const delegated = { ...info, onBehalfOf: host.name };
      const ctx = createRoleContext(run, other, facts, otherVars, delegated);
      const helpers = STEP_HELPERS.map((name) => {
        const helper = ctx[name] as (...args: unknown[]) => Promise<StepResult>;
        const wrapped = async (...args: unknown[]) => {
          const r = await helper.apply(ctx, args);
          if (delegated.changed) info.changed = true;
          return r;
        };
        return [name, wrapped];
      });
      return {
        host: ctx.host,
        facts: ctx.facts,
        vars: ctx.vars,
        ...Object.fromEntries(helpers),
      } as DelegatedContext;
    },
    async reachable(name) {
      const other = run.hostEnv(name);
      if (other.unreachable) return false;
      try {
        await other.facts();
        return true;
      } catch (e) {
        if (!(e instanceof UnreachableError)) throw e;
        other.unreachable = true;
        run.hostsLost = true;
        this.warn(`${name} does not answer: ${e.message}`);
        return false;
      }
    },
    warn(message) {
      run.emit({ type: 'warning', message: `${host.name} ${info.role.name}: ${message}` });
    },
  };
}

function hostVarsOf(run: RunState, name: string): Record<string, unknown> {
  const h = run.inventory.data.hosts.get(name);
  if (!h) throw new RoleFailure(`no host named ${name} in the inventory`);
  return inventoryVars(run.inventory, h);
}

/** A handler name the role defines, or a failure naming the ones it has (with a did-you-mean). */
function knownHandler(role: AnyRole, name: string, where: string) {
  if (role.handlers?.[name]) return;
  const names = Object.keys(role.handlers ?? {});
  const guess = didYouMean(name, names);
  throw new RoleFailure(
    `${where} "${name}", which is no handler of role ${role.name}${guess ? `: did you mean "${guess}"?` : names.length ? ` (its handlers: ${names.join(', ')})` : ' (it has none)'}`,
  );
}
