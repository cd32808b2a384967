// A real AWS emulator for end-to-end tests: starts moto_server on 127.0.0.1 on a free port,
// resets it between tests, and stops it (the whole process group) when done. Resources are
// created and checked with boto3, independently of the server under test.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export class Moto {
  static async start() {
    const port = await freePort();
    const proc = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    proc.stderr.on('data', (c) => { stderr += c; });
    const moto = new Moto(proc, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 30000;
    for (;;) {
      if (proc.exitCode !== null) {
        throw new Error(`moto_server exited (${proc.exitCode}); is moto installed for python3? ${stderr}`);
      }
      try {
        const r = await fetch(`${moto.url}/moto-api/`);
        if (r.ok) break;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) {
        moto.stop();
        throw new Error(`moto_server did not start within 30 s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return moto;
  }

  constructor(proc, url) {
    this.proc = proc;
    this.url = url;
  }

  async reset() {
    const r = await fetch(`${this.url}/moto-api/reset`, { method: 'POST' });
    if (!r.ok) throw new Error(`moto reset failed: ${r.status}`);
  }

  stop() {
    try { process.kill(-this.proc.pid, 'SIGTERM'); } catch { /* already gone */ }
  }

  // Runs Python with boto3 clients `ecs`, `ecr`, `ec2`, `logs`, `cfn`, `elbv2`, `iam` bound to
  // the emulator; the snippet assigns `out`, which is returned parsed from JSON.
  boto(code) {
    const program = [
      'import boto3, json, datetime',
      `kw = dict(endpoint_url=${JSON.stringify(this.url)}, region_name="us-east-1",`,
      '          aws_access_key_id="testing", aws_secret_access_key="testing")',
      'ecs = boto3.client("ecs", **kw); ecr = boto3.client("ecr", **kw)',
      'ec2 = boto3.client("ec2", **kw); logs = boto3.client("logs", **kw)',
      'cfn = boto3.client("cloudformation", **kw); elbv2 = boto3.client("elbv2", **kw)',
      'iam = boto3.client("iam", **kw)',
      'out = None',
      code,
      'print(json.dumps(out, default=str))',
    ].join('\n');
    const text = execFileSync('python3', ['-c', program], { encoding: 'utf8' });
    return JSON.parse(text.trim().split('\n').pop());
  }

  // A HOME whose ~/.aws holds the only credentials and region, as a platform agent's child
  // has: the server must find everything there.
  makeHome({ region = 'us-east-1', profile = 'default' } = {}) {
    const home = mkdtempSync(join(tmpdir(), 'ecs-mcp-home-'));
    mkdirSync(join(home, '.aws'));
    const section = profile === 'default' ? 'default' : `profile ${profile}`;
    writeFileSync(join(home, '.aws', 'credentials'),
      `[${profile}]\naws_access_key_id = testing\naws_secret_access_key = testing\n`);
    writeFileSync(join(home, '.aws', 'config'), `[${section}]\nregion = ${region}\noutput = json\n`);
    return home;
  }
}
