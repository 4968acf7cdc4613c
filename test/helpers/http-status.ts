/** One HTTP(S) request's status code, or 0 when nothing answered in time (a test probe). */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export function statusOf(
  url: { https: boolean; host: string; port: number; path: string; hostHeader?: string },
  timeoutMs = 3000,
): Promise<number> {
  const send = url.https ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      {
        host: url.host,
        port: url.port,
        path: url.path,
        headers: url.hostHeader ? { Host: url.hostHeader } : {},
        // the cluster's own CA: its name checks are the server's business here, not the probe's
        rejectUnauthorized: false,
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
