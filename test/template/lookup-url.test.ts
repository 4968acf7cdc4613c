/**
 * lookup('url') held to ansible-core 2.19: each case rendered by both against an HTTP server on
 * loopback (a Python process: quorum's lookup blocks the test's own event loop while it fetches):
 * lines and whole bodies, headers and the user agent sent, basic auth after a challenge or
 * forced, redirects, an HTTP error and a refused connection.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Case } from '../corpus/jinja-cases.ts';
import { against219, quorumOutcome } from '../corpus/jinja-diff.ts';
import { validateCli, workspace } from '../helpers/run-local.ts';

const SERVER = `
import base64, http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def send(self, code, body, **headers):
        self.send_response(code)
        for k, v in headers.items(): self.send_header(k.replace('_', '-'), v)
        self.end_headers(); self.wfile.write(body.encode())
    def do_GET(self):
        p = self.path
        if p == '/lines': return self.send(200, 'one\\ntwo\\r\\nthree\\rfour\\n')
        if p == '/one': return self.send(200, 'single line\\n')
        if p == '/empty': return self.send(200, '')
        if p == '/json': return self.send(200, '{"tag_name": "v1.8.2", "assets": [1, 2]}')
        if p == '/agent': return self.send(200, self.headers.get('User-Agent', '') + '|' + self.headers.get('X-Token', ''))
        if p == '/auth':
            want = 'Basic ' + base64.b64encode(b'ops:pw').decode()
            if self.headers.get('Authorization') == want: return self.send(200, 'welcome')
            return self.send(401, 'who?', WWW_Authenticate='Basic realm="q"')
        if p == '/moved': return self.send(302, '', Location='/one')
        return self.send(404, 'nope')
s = http.server.HTTPServer(('127.0.0.1', 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
`;

let server: ChildProcess;
let base = '';
beforeAll(async () => {
  const file = join(workspace(), 'server.py');
  writeFileSync(file, SERVER);
  server = spawn('python3', [file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((ok) => server.stdout?.once('data', (d) => ok(String(d).trim())));
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => server?.kill());

const v = (src: string): Case => ({ role: 'url', where: src, kind: 'value', src, vars: {} });

it("gives Ansible's result for each case, and fails where it fails", async () => {
  const cases = [
    v(`{{ lookup('url', '${base}/lines') }}`),
    v(`{{ query('url', '${base}/lines') }}`),
    v(`{{ lookup('url', '${base}/lines', split_lines=False) }}`),
    v(`{{ lookup('url', '${base}/one') }}`),
    v(`{{ lookup('url', '${base}/empty') }}`),
    v(`{{ lookup('url', '${base}/json', split_lines=False) | from_json }}`),
    v(`{{ (lookup('url', '${base}/json', split_lines=False) | from_json).tag_name }}`),
    v(`{{ lookup('url', '${base}/agent', headers={'X-Token': 'abc'}) }}`),
    v(`{{ lookup('url', '${base}/agent', http_agent='quorum-test') }}`),
    v(`{{ lookup('url', '${base}/auth', username='ops', password='pw') }}`),
    v(`{{ lookup('url', '${base}/auth', username='ops', password='pw', force_basic_auth=True) }}`),
    v(`{{ lookup('url', '${base}/auth', username='ops', password='bad') }}`),
    v(`{{ lookup('url', '${base}/moved') }}`),
    v(`{{ lookup('url', '${base}/one', '${base}/lines') }}`),
    v(`{{ lookup('url', '${base}/missing') }}`),
    v(`{{ lookup('url', '${base}/missing', errors='ignore') }}`),
    v(`{{ lookup('url', 'http://127.0.0.1:9/refused') }}`),
  ];
  const { theirs, differ } = await against219(cases);
  expect(differ).toEqual([]);
  expect(theirs.filter((o) => 'ok' in o).length).toBe(cases.length - 3);
  // the HTTP error in the plugin's words
  expect(quorumOutcome(cases[14])).toMatchObject({
    message: expect.stringContaining('Received HTTP error for'),
  });
  expect(quorumOutcome(cases[14])).toMatchObject({
    message: expect.stringContaining('HTTP Error 404: Not Found'),
  });
});

it('a url lookup that fails when validate reads it is a warning: the task fails only if it still fails when it runs', () => {
  // prometheus-community's node_exporter asks GitHub for the latest release only when told "latest"
  const r = validateCli(
    `- hosts: all
  gather_facts: false
  vars: { ver: "1.0" }
  tasks:
    - set_fact: { ver: "{{ lookup('url', 'http://127.0.0.1:9/latest') }}" }
      when: ver == "latest"
`,
  );
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/warning: .*Failed lookup url for http:\/\/127\.0\.0\.1:9\/latest/);
});
