/**
 * Cluster add-ons from pinned release manifests: downloaded on a control-plane node into
 * /etc/kubernetes/addons with their sha256 checked (a URL param lets an air-gapped site use a
 * mirror of the same bytes), then applied with the k8s module.
 */
import type { RoleContext, StepResult } from '../roles/define.ts';

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
