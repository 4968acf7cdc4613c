// The stacked etcd read in a node's etcd static pod: members, their health, etcdctl and etcdutl.
import { type CommandResult, known, type RoleContext, type StepResult } from '../roles/define.ts';

export interface Member {
  id: string;
  /** Empty until the member has started. */
  name: string;
  peerUrls: string[];
  learner: boolean;
  /** Answered a health check (learners are not asked). */
  healthy: boolean;
}

const PKI = '/etc/kubernetes/pki/etcd';

/**
 * etcdctl is the one inside the node's etcd static pod, run through the CRI (crictl, from
 * cri-tools): it always matches the cluster's etcd version and needs no distribution package
 * (RPM distributions have no etcd-client; Debian 12's is 3.4), nor a working API server. The
 * etcd pod mounts /etc/kubernetes/pki/etcd at the same path (kubeadm's etcd manifest).
 */
const IN_ETCD_POD =
  'c=$(crictl ps --name \'^etcd$\' --state running -q 2>/dev/null | head -n1); [ -n "$c" ] || { echo "no running etcd container on this node (crictl ps --name etcd)" >&2; exit 3; }';

/** One etcdctl call inside the etcd pod; `withEtcd` must come first in the command line. */
export function etcdctl(args: string, endpoints = 'https://127.0.0.1:2379'): string {
  return `crictl exec "$c" etcdctl --endpoints=${endpoints} --cacert=${PKI}/ca.crt --cert=${PKI}/healthcheck-client.crt --key=${PKI}/healthcheck-client.key --command-timeout=5s ${args}`;
}

/** A command line whose etcdctl calls find the node's etcd container first. */
export const withEtcd = (cmd: string) => `${IN_ETCD_POD}; ${cmd}`;

/**
 * `member remove ID`, tried 3 times 2 s apart: etcdctl's 5 s deadline can pass on a loaded
 * cluster while the removal still goes through, so "not found" on a later try means done.
 */
export function removeMemberCommand(id: string): string {
  return withEtcd(
    `for i in 1 2 3; do out=$(${etcdctl(`member remove ${id}`)} 2>&1) && { echo "$out"; exit 0; }; case "$out" in *'not found'*) echo "member ${id} already removed"; exit 0;; esac; sleep 2; done; echo "$out" >&2; exit 1`,
  );
}

/**
 * The member list, then the health of the started voting members, one JSON entry each (a
 * learner answers health checks with "rpc not supported for learner", no fault of the cluster).
 * An unhealthy member is data, not a failure: the gates decide what they need.
 */
const MEMBERS_AND_HEALTH = withEtcd(
  [
    `m=$(${etcdctl('member list -w simple')})`,
    'printf "%s\\n--health--\\n" "$m"',
    `voting=$(printf "%s\\n" "$m" | awk -F', ' '$2 == "started" && $6 == "false" {print $5}' | paste -sd, -)`,
    `{ [ -z "$voting" ] || ${etcdctl('endpoint health -w json', '"$voting"')} 2>/dev/null || true; }`,
  ].join(' && '),
);

/** `member list -w simple`: "ID, started|unstarted, NAME, PEERS, CLIENTS, IS_LEARNER" (hex IDs, no JSON number loss). */
export function parseMembers(text: string): Member[] {
  const [list, health = ''] = text.split('--health--');
  const healthy = new Map<string, boolean>();
  try {
    for (const h of JSON.parse(health.trim() || '[]') as Array<{ endpoint: string; health: boolean }>)
      healthy.set(h.endpoint, h.health === true);
  } catch {
    // no health answer: every member counts as unhealthy
  }
  return list
    .split('\n')
    .map((l) => l.split(',').map((f) => f.trim()))
    .filter((f) => f.length >= 5 && /^[0-9a-f]+$/.test(f[0]))
    .map((f) => {
      const clientUrls = f[4].split(/\s+/).filter(Boolean);
      return {
        id: f[0],
        name: f[1] === 'unstarted' ? '' : f[2],
        peerUrls: f[3].split(/\s+/).filter(Boolean),
        learner: f[5] === 'true',
        healthy: clientUrls.some((u) => healthy.get(u) === true),
      };
    });
}

export const memberOf = (members: Member[], name: string, ip: string) =>
  members.find((m) => m.name === name || m.peerUrls.some((u) => u.includes(`//${ip}:`)));

/** Every member started, none a learner, every one healthy. */
export const allVoting = (members: Member[]) =>
  members.length > 0 && members.every((m) => m.name && !m.learner && m.healthy);

/**
 * Why removing `target` would break etcd, with the arithmetic, or undefined when it is safe:
 * the removal itself needs a quorum of the voters now, and the voters that remain need a
 * majority of healthy ones after it. A learner never counts.
 */
export function removalRefusal(members: Member[], target: Member): string | undefined {
  if (target.learner) return undefined;
  const voters = members.filter((m) => !m.learner);
  const healthyNow = healthyVoters(members).length;
  const neededNow = Math.floor(voters.length / 2) + 1;
  const left = voters.filter((m) => m !== target);
  const healthyAfter = healthyVoters(left).length;
  const neededAfter = Math.floor(left.length / 2) + 1;
  const what = `etcd member ${target.id} (${target.name || 'unstarted'}, ${target.healthy ? 'healthy' : 'not answering'})`;
  if (healthyNow < neededNow)
    return `${what} cannot be removed: ${healthyNow} of ${voters.length} voters are healthy and a removal needs a quorum of ${neededNow} (floor(${voters.length}/2)+1); quorum is lost: restore etcd from a snapshot (playbooks/etcd-restore.yml)`;
  if (healthyAfter < neededAfter)
    return `${what} cannot be removed: ${left.length} voters would remain, ${healthyAfter} of them healthy, and their quorum needs ${neededAfter} (floor(${left.length}/2)+1); bring the unhealthy members back first, or remove a member that is not answering`;
  return undefined;
}

/** Voters (started, not learners) that answer health checks. */
export const healthyVoters = (members: Member[]) => members.filter((m) => m.name && !m.learner && m.healthy);

const stdoutOf = (r: StepResult<CommandResult>) => known(r.result.stdout);

/**
 * Polls the members through `seed` until `ready` holds, at most `tries` more times. Returns
 * undefined in a check run where the answer is known only after apply.
 */
export async function waitForMembers(
  seed: Pick<RoleContext, 'query'>,
  what: string,
  ready: (m: Member[]) => boolean,
  tries: number,
): Promise<Member[] | undefined> {
  const r = await seed.query(
    { cmd: MEMBERS_AND_HEALTH },
    {
      name: what,
      until: (res) => {
        const text = stdoutOf(res);
        return text === undefined || ready(parseMembers(text));
      },
      retries: tries,
      delay: 2,
    },
  );
  const text = stdoutOf(r);
  return text === undefined ? undefined : parseMembers(text);
}

export function describeMembers(members: Member[]): string {
  return members
    .map(
      (m) =>
        `${m.name || '(unstarted)'} ${m.id} ${m.learner ? 'learner' : m.name ? 'voter' : ''}${m.learner ? '' : m.healthy ? ' healthy' : ' unhealthy'}`,
    )
    .join(', ');
}

/** `snapshot status -w json` of a file in the etcd data folder: etcdutl (3.5+), else etcdctl (3.4). */
export const SNAPSHOT_STATUS = (file: string) =>
  `{ crictl exec "$c" etcdutl snapshot status ${file} -w json 2>/dev/null || crictl exec "$c" etcdctl snapshot status ${file} -w json; }`;
