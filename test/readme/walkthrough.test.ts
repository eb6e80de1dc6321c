// The README's "Walkthrough with curl", run as a reader runs it: every `sh` block of the section,
// in order, in one bash session, against a fresh server started by the real command line on a
// temporary data directory and port. Every curl answer's status is checked: 2xx or 3xx, or the
// status a command's own trailing comment states (`# 401: …`). The test adapts only what a reader
// sets by hand (BASE, API, KEY and ADMIN, after the block that sets them) and the production delay,
// so the README cannot drift from the server. (`npm start` itself is tested by test/cli/npm-start.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliEnvironment, freePort, spawnCli, waitForOutput } from '../helpers/child-process.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SECTION = '## Walkthrough with curl';
/** A trailing comment that opens with a status code states the status of that command's answer. */
const STATED_STATUS = /\s#\s+(\d{3})\b[^"]*$/;

interface Block {
  /** README line number (1-based) of the block's first line. */
  line: number;
  lines: string[];
}

function walkthroughBlocks(readme: string): Block[] {
  const lines = readme.split('\n');
  const start = lines.indexOf(SECTION);
  assert.ok(start >= 0, `README.md has a "${SECTION}" section`);
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  const blocks: Block[] = [];
  let open: Block | null = null;
  for (let i = start + 1; i < (end < 0 ? lines.length : end); i++) {
    const l = lines[i]!;
    if (open) {
      if (l.startsWith('```')) {
        blocks.push(open);
        open = null;
      } else open.lines.push(l);
    } else if (l.startsWith('```')) {
      assert.equal(l, '```sh', `README.md:${i + 1}: the walkthrough's code blocks are sh blocks a reader runs`);
      open = { line: i + 2, lines: [] };
    }
  }
  assert.equal(open, null, 'every block is closed');
  return blocks;
}

/**
 * The script bash runs: a curl that reports each answer's status and checks it, then the blocks. A
 * command with a stated status gets it through EXPECT_STATUS, set on the lines around it.
 */
function script(blocks: Block[], settings: Record<string, string>, log: string): { text: string; readmeLine: (n: number) => number } {
  const out: string[] = [];
  const origin: number[] = [];
  const emit = (text: string, readme = 0) => {
    for (const line of text.split('\n')) {
      out.push(line);
      origin.push(readme);
    }
  };
  // -sS: no progress meter when an answer goes to a pipe, errors still shown. The status goes to
  // stderr behind a marker, which the wrapper takes off and logs.
  emit('set -euo pipefail');
  emit(`WALK_LOG=${JSON.stringify(log)}`);
  emit(`curl() {
  local expect="\${EXPECT_STATUS:-}" status errfile
  errfile=$(mktemp)
  command curl -sS -w '%{stderr}\\n@@status %{http_code} %{method} %{url_effective}\\n' "$@" 2>"$errfile" && rc=0 || rc=$?
  grep -v '^@@status ' "$errfile" | sed '/^$/d' >&2 || true
  status=$(sed -n 's/^@@status \\([0-9]*\\) .*/\\1/p' "$errfile" | tail -n 1)
  printf '%s %s %s %s\\n' "\${status:-000}" "\${expect:-2xx}" "\${BASH_LINENO[0]}" "$(sed -n 's/^@@status [0-9]* //p' "$errfile" | tail -n 1)" >> "$WALK_LOG"
  rm -f "$errfile"
  [ "$rc" = 0 ] || { echo "curl failed ($rc): $*" >&2; return 1; }
  if [ -n "$expect" ]; then [ "$status" = "$expect" ]; else [ "$status" -ge 200 ] && [ "$status" -lt 400 ]; fi ||
    { echo "answered $status, expected \${expect:-2xx or 3xx}: curl $*" >&2; return 1; }
}`);
  blocks.forEach((block, b) => {
    block.lines.forEach((l, i) => {
      const stated = STATED_STATUS.exec(l);
      const continued = i > 0 && block.lines[i - 1]!.endsWith('\\');
      if (stated && /\bcurl\b/.test(l) && !l.trimStart().startsWith('#')) {
        assert.ok(!continued, `README.md:${block.line + i}: a command with a stated status fits on one line`);
        emit(`EXPECT_STATUS=${stated[1]}`);
        emit(l, block.line + i);
        emit('EXPECT_STATUS=');
      } else emit(l, block.line + i);
    });
    // After the block that sets them, what the reader would paste from the first start's output.
    if (b === 0) for (const [name, value] of Object.entries(settings)) emit(`${name}=${JSON.stringify(value)}`);
  });
  return {
    text: out.join('\n') + '\n',
    readmeLine: (n) => {
      for (let i = Math.min(n, origin.length) - 1; i >= 0; i--) if (origin[i]) return origin[i]!;
      return 0;
    },
  };
}

function runBash(text: string, cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const bash = spawn('bash', ['-c', text], { cwd, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    let output = '';
    bash.stdout.on('data', (d) => (output += d));
    bash.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      bash.kill('SIGKILL');
      output += `\n[killed after ${timeoutMs / 1000} s]`;
    }, timeoutMs);
    bash.on('error', reject);
    bash.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("README.md's walkthrough", () => {
  it('runs block by block against a fresh server, every answer with the status the README says', async (t) => {
    const blocks = walkthroughBlocks(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    assert.ok(blocks.length >= 4, 'the section has its blocks');
    const first = blocks[0]!.lines.join('\n');
    for (const name of ['BASE', 'API', 'KEY', 'ADMIN']) assert.match(first, new RegExp(`^${name}=`, 'm'), `the first block sets ${name}`);
    assert.match(first, /^BASE=http:\/\/127\.0\.0\.1:8080$/m, 'BASE is where `npm start` listens by default');

    // Embedded SQLite, as `npm start` runs: the demo company and its key are made on a new embedded database.
    const cli = await cliEnvironment(t, { embedded: true });
    const port = await freePort();
    // Production takes 1 s instead of 20: the walkthrough waits for it by polling, whatever it takes.
    const server = spawnCli(['serve'], { ...cli.env, PORT: String(port), CASA_PRODUCTION_DELAY_S: '1' });
    t.after(() => server.kill('SIGKILL'));
    const printed = await waitForOutput(server, /casa-integrate listening on/);
    const key = /demo api-key:\s+(\S+)/.exec(printed)?.[1];
    const admin = /admin-key:\s+(\S+)/.exec(printed)?.[1];
    assert.ok(key && admin, `the first start prints both keys:\n${printed}`);

    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'casa-walkthrough-'));
    t.after(() => fs.rmSync(work, { recursive: true, force: true }));
    const log = path.join(work, 'statuses.log');
    const base = `http://127.0.0.1:${port}`;
    const { text, readmeLine } = script(blocks, { BASE: base, API: `${base}/api/integrate/v3`, KEY: key, ADMIN: admin }, log);

    const { code, output } = await runBash(text, work, 240_000);
    // "status expected README.md:line method url", one line per answer.
    const answers = (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []).map((a) => {
      const [status, expected, line, ...rest] = a.split(' ');
      return [status, expected, `README.md:${readmeLine(Number(line))}`, ...rest].join(' ');
    });
    assert.equal(code, 0, `the walkthrough ran to its end; bash said:\n${output.slice(-6000)}\nanswers:\n${answers.join('\n')}`);

    const curls = blocks.flatMap((b) => b.lines).filter((l) => /^\s*[^#\s].*\bcurl\s/.test(l) || /\$\(curl\s/.test(l)).length;
    assert.ok(answers.length >= curls, `every curl of the README answered (${answers.length} answers, ${curls} commands)`);
    const wrong = answers.filter((a) => {
      const [status, expected] = a.split(' ');
      return expected === '2xx' ? !/^[23]\d\d$/.test(status!) : status !== expected;
    });
    assert.deepEqual(wrong, [], 'every answer had the status the README says');
    assert.ok(
      answers.some((a) => a.startsWith('401 401 ')),
      'the keys the walkthrough revokes answer 401 afterwards',
    );
  });
});
