// The data directory holds the database and the stored scans: a server started on a fresh one
// creates it 0700 and every file in it 0600 (the SQLite file with its -wal and -shm, stored files),
// under a permissive umask too; so do snapshots, their archive and the files a restore puts back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliEnvironment, exitOf, freePort, runCli, spawnCli, waitForOutput } from '../helpers/child-process.js';

/** Every directory and file under `root` (itself included) with its permission bits, as `path mode`. */
function modes(root: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = fs.statSync(p);
    out.push(`${path.relative(root, p) || '.'} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
  };
  walk(root);
  return out;
}

function assertPrivate(root: string): string[] {
  const all = modes(root);
  const loose = all.filter((line) => {
    const [name, mode] = line.split(' ');
    return mode !== (fs.statSync(path.join(root, name!)).isDirectory() ? '700' : '600');
  });
  assert.deepEqual(loose, [], `everything under the data directory is private:\n${all.join('\n')}`);
  return all.map((line) => line.split(' ')[0]!);
}

describe('file modes of the data directory', () => {
  it('a fresh data directory is 0700 and its files 0600: database, -wal/-shm, stored scans, snapshot and restore', async (t) => {
    process.umask(0o022); // the usual default, which would leave 0755 and 0644
    const cli = await cliEnvironment(t, { embedded: true });
    const dataDir = path.join(cli.dataDir, 'data', 'casa'); // nothing of it exists yet
    const port = await freePort();
    const env = { ...cli.env, CASA_DATA_DIR: dataDir, PORT: String(port), CASA_ADMIN_KEY: 'modes-test-admin-key' };
    const server = spawnCli(['serve'], env);
    t.after(() => server.kill('SIGKILL'));
    const out = await waitForOutput(server, /casa-integrate listening on/);
    const apiKey = /demo api-key:\s+(casa_\w+)/.exec(out)![1]!;
    const base = `http://127.0.0.1:${port}`;

    const created = await fetch(`${base}/api/integrate/v3/orders/go2scan`, {
      method: 'POST',
      headers: { 'api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ street: '1 Fake Street', city: 'Espoo', postalCode: '02100', country: 'Finland', send_invitation: false }),
    });
    assert.equal(created.status, 200);
    const link = ((await created.json()) as { info: { go2scan: { link: string } } }).info.go2scan.link;
    const form = new FormData();
    form.append('files', new Blob([Buffer.from('a scan')], { type: 'application/octet-stream' }), 'scan.bin');
    const uploaded = await fetch(`${base}${new URL(link).pathname}/upload`, { method: 'POST', body: form });
    assert.equal(uploaded.status, 200, await uploaded.text());

    assert.equal((fs.statSync(path.join(cli.dataDir, 'data')).mode & 0o777).toString(8), '700', 'a missing parent is made private too');
    const running = assertPrivate(dataDir);
    for (const name of ['casa.sqlite', 'casa.sqlite-wal', 'casa.sqlite-shm', 'files'])
      assert.ok(running.includes(name), `${name} exists: ${running.join(', ')}`);
    assert.ok(
      running.some((name) => name.startsWith('files/scans/')),
      'a stored scan',
    );

    const archive = path.join(cli.dataDir, 'saved.zip');
    const saved = await runCli(['snapshot', 'save', archive], env);
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal((fs.statSync(archive).mode & 0o777).toString(8), '600', 'the archive holds the whole database');

    server.kill('SIGTERM');
    assert.equal(await exitOf(server), 0);
    fs.rmSync(path.join(dataDir, 'files'), { recursive: true });
    const restored = await runCli(['snapshot', 'restore', archive], env);
    assert.equal(restored.code, 0, restored.stderr);
    const after = assertPrivate(dataDir);
    assert.ok(
      after.some((name) => name.startsWith('files/scans/')),
      'the scan is back',
    );
  });
});
