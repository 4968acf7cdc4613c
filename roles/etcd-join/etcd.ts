// Reading the stacked etcd through a healthy member (the init node): members and their state.
import type { RoleContext, StepResult } from 'quorum';

export interface Member {
  id: string;
  /** Empty until the member has started. */
  name: string;
  peerUrls: string[];
  learner: boolean;
}

const PKI = '/etc/kubernetes/pki/etcd';

export function etcdctl(args: string, endpoints = 'https://127.0.0.1:2379'): string {
  return `ETCDCTL_API=3 etcdctl --endpoints=${endpoints} --cacert=${PKI}/ca.crt --cert=${PKI}/healthcheck-client.crt --key=${PKI}/healthcheck-client.key --command-timeout=5s ${args}`;
}

/**
 * The member list, then the health of the voting members only: a learner answers health
 * checks with "rpc not supported for learner", which is no fault of the cluster.
 */
const MEMBERS_AND_HEALTH = [
  etcdctl('member list -w simple'),
  `voting=$(${etcdctl('member list -w simple')} | awk -F', ' '$2 == "started" && $6 == "false" {print $5}' | paste -sd, -)`,
  `${etcdctl('endpoint health', '"$voting"')} >&2`,
].join(' && ');

/** `member list -w simple`: "ID, started|unstarted, NAME, PEERS, CLIENTS, IS_LEARNER" (hex IDs, no JSON number loss). */
export function parseMembers(text: string): Member[] {
  return text
    .split('\n')
    .map((l) => l.split(',').map((f) => f.trim()))
    .filter((f) => f.length >= 5 && /^[0-9a-f]+$/.test(f[0]))
    .map((f) => ({
      id: f[0],
      name: f[1] === 'unstarted' ? '' : f[2],
      peerUrls: f[3].split(/\s+/).filter(Boolean),
      learner: f[5] === 'true',
    }));
}

export const memberOf = (members: Member[], name: string, ip: string) =>
  members.find((m) => m.name === name || m.peerUrls.some((u) => u.includes(`//${ip}:`)));

/** Every member started, none a learner, every endpoint healthy. */
export const allVoting = (members: Member[]) =>
  members.length > 0 && members.every((m) => m.name && !m.learner);

const stdoutOf = (r: StepResult) => (typeof r.result.stdout === 'string' ? r.result.stdout : undefined);

/**
 * Polls the members through `seed` until `ready` holds (health included), at most `tries`
 * times. Returns undefined in a check run where the answer is known only after apply.
 */
export async function waitForMembers(
  seed: RoleContext,
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
