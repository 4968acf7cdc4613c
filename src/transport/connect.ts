/** Picks the transport for a host from its inventory variables (ansible_connection). */
import { LocalTransport } from './local.ts';
import type { Transport } from './types.ts';
import { UnreachableError } from './types.ts';

export type TransportFactory = (host: string, vars: Record<string, unknown>) => Transport;

export const defaultTransportFactory: TransportFactory = (host, vars) => {
  const connection = String(vars.ansible_connection ?? (host === 'localhost' ? 'local' : 'ssh'));
  if (connection === 'local') return new LocalTransport(host);
  return {
    host,
    exec: async () => {
      throw new UnreachableError(host, `connection "${connection}" is not available in this build`);
    },
    close: async () => {},
  };
};
