/**
 * Cluster add-ons from pinned release manifests: downloaded on a control-plane node into
 * /etc/kubernetes/addons with their sha256 checked (a URL param lets an air-gapped site use a
 * mirror of the same bytes), then applied with the k8s module.
 */
import type { parseAllDocuments } from 'yaml';
import type { RoleContext, StepResult } from '../roles/define.ts';
import { contains, parseRange } from './net.ts';

export const ADDONS_DIR = '/etc/kubernetes/addons';

export interface PinnedManifest {
  url: string;
  sha256: string;
}

/** Downloads the manifest to ADDONS_DIR/`file` (sha256 checked); returns its path on the host. */
export async function fetchManifest(ctx: RoleContext, m: PinnedManifest, file: string): Promise<string> {
  const dest = `${ADDONS_DIR}/${file}`;
  await ctx.file({ path: ADDONS_DIR, state: 'directory', mode: '0755' });
  await ctx.getUrl(
    { url: m.url, dest, checksum: `sha256:${m.sha256}`, mode: '0644' },
    { name: `download ${file}` },
  );
  return dest;
}

/** An apply that a validating webhook may refuse for a while after install: retried, 2 s apart. */
export function throughWebhook(retries = 45): {
  until: (r: StepResult) => boolean;
  retries: number;
  delay: number;
} {
  return { until: () => true, retries, delay: 2 };
}

/** MetalLB's annotation that pins a LoadBalancer Service to addresses of its pools. */
export const LB_IPS = 'metallb.io/loadBalancerIPs';

/**
 * What is wrong with `ip` as the pinned address of an add-on's LoadBalancer (`name` is its
 * param): it must be one IPv4 address inside `pool` (comma-separated ranges or CIDRs), never the
 * control-plane VIP.
 */
export function lbAddressErrors(name: string, ip: string, pool?: string, vip?: string): string[] {
  const range = parseRange(ip);
  if (!range || range.first !== range.last) return [`${name} "${ip}" is not an IPv4 address`];
  const errors: string[] = [];
  const pools = (pool ?? '')
    .split(',')
    .map((r) => parseRange(r))
    .filter((r) => r !== undefined);
  if (!pools.some((r) => contains(r, range)))
    errors.push(`${name} ${ip} is not in metallb_pool ${pool ?? '(unset)'}`);
  if (ip === vip) errors.push(`${name} ${ip} is the control-plane VIP`);
  return errors;
}

type Doc = ReturnType<typeof parseAllDocuments>[number];

/**
 * Drops `ttlSecondsAfterFinished` from a release's one-shot Jobs (certificate generators):
 * Kubernetes deletes such a Job that long after it finished, so every later apply would create
 * it again and no run after the first could be converged. Kept, a finished Job stays as it is.
 * Returns the Jobs changed.
 */
export function keepFinishedJobs(docs: Doc[]): Doc[] {
  const jobs = docs.filter((d) => {
    const o = d.toJS() as { kind?: string; spec?: { ttlSecondsAfterFinished?: number } } | null;
    return o?.kind === 'Job' && o.spec?.ttlSecondsAfterFinished !== undefined;
  });
  for (const job of jobs) job.deleteIn(['spec', 'ttlSecondsAfterFinished']);
  return jobs;
}
