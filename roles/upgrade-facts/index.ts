// upgrade-facts: what each node runs, in one read (packages, its API server's image tag, a drain
// an earlier upgrade run left), published for the plan and for the node's own upgrade.
import { known, type RoleDefinition } from 'quorum';
import { NODE_VERSIONS, parseNodeVersions } from 'quorum/cluster';

const role: RoleDefinition<Record<string, never>> = {
  name: 'upgrade-facts',
  description: "each node's Kubernetes versions, read before the upgrade changes anything",
  publishes: ['versions'],
  params: { type: 'object', properties: {}, required: [], additionalProperties: false },
  async run(ctx) {
    const r = await ctx.query({ cmd: NODE_VERSIONS }, { name: 'versions on this node' });
    const out = known(r.result.stdout);
    if (out !== undefined) ctx.publish('versions', parseNodeVersions(out));
  },
};

export default role;
