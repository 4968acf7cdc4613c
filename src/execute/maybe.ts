/**
 * Check mode's two kinds of change. A step probed against the host as it is now "will change";
 * one whose outcome depends on a change an earlier step would make "may change": it was probed
 * against a state that the run would not leave (a folder the package install creates, a file
 * an earlier step rewrites). What a step touches is its scope: a path for the file modules, a
 * name for services, sysctls and modules; anything else (packages, commands, Kubernetes) may
 * touch anything, so every later step on that host may change.
 */
const PATH_MODULES = new Set(['file', 'copy', 'template', 'lineinfile', 'blockinfile', 'get_url']);
const NAMED_MODULES = new Set(['service', 'sysctl', 'modprobe', 'swap']);
export const ANYTHING = '*';

export function scopeOf(module: string, params: Record<string, unknown>): string {
  if (PATH_MODULES.has(module)) {
    const path = params.path ?? params.dest;
    return typeof path === 'string' ? `path:${path.replace(/\/+$/, '')}` : ANYTHING;
  }
  if (NAMED_MODULES.has(module)) return `${module}:${String(params.name ?? '')}`;
  return ANYTHING;
}

function related(a: string, b: string): boolean {
  if (a === b) return true;
  if (!a.startsWith('path:') || !b.startsWith('path:')) return false;
  const [x, y] = [a.slice(5), b.slice(5)];
  return x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
}

/** Whether a step of `scope` depends on the changes predicted before it on its host. */
export function dependsOnEarlier(scope: string, earlier: readonly string[]): boolean {
  return earlier.some((e) => e === ANYTHING || (scope !== ANYTHING && related(e, scope)));
}
