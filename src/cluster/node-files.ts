/** What a node has of a list of files, in one read: the question join, reset and removal ask. */
import { known, type RoleContext } from '../roles/define.ts';

/**
 * The paths of `paths` that exist on the node, as a read-only query (it runs in check runs too);
 * undefined where the answer is known only after apply.
 */
export async function existingPaths(
  ctx: Pick<RoleContext, 'query'>,
  paths: string[],
  name: string,
): Promise<string[] | undefined> {
  const r = await ctx.query(
    { cmd: `for f in ${paths.join(' ')}; do [ -e "$f" ] && echo "$f"; done; true` },
    { name },
  );
  return known(r.result.stdout)?.split('\n').filter(Boolean);
}
