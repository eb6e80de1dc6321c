// `npm install` prints no engine warning on any Node.js version package.json's `engines` claims:
// every package the lockfile installs on this platform accepts all of those versions. A new
// dependency (or an update) that drops a claimed line fails here, not on a user's first install.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  os?: string[];
  cpu?: string[];
  optional?: boolean;
}

/** npm's own rule: a list of platforms, where `!name` excludes one. */
function platformAllows(list: string[] | undefined, current: string): boolean {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${current}`)) return false;
  const wanted = list.filter((entry) => !entry.startsWith('!'));
  return wanted.length === 0 || wanted.includes(current);
}

describe('engines', () => {
  const claimed: string = read('package.json').engines.node;

  it('claims each Node.js line CI tests, and no open-ended future', () => {
    assert.ok(semver.validRange(claimed), claimed);
    for (const version of ['20.19.0', '22.13.0', '24.0.0']) assert.ok(semver.satisfies(version, claimed), `${version} is in ${claimed}`);
    assert.equal(semver.satisfies('99.0.0', claimed), false, 'a line nobody tested is not promised');
  });

  it('every package installed on this platform accepts every version package.json claims', () => {
    const lock = read('package-lock.json') as { packages: Record<string, LockedPackage> };
    const refusing: string[] = [];
    let checked = 0;
    for (const [where, pkg] of Object.entries(lock.packages)) {
      if (!where || !platformAllows(pkg.os, process.platform) || !platformAllows(pkg.cpu, process.arch)) continue;
      const range = Array.isArray(pkg.engines) ? undefined : pkg.engines?.node;
      if (!range) continue;
      checked++;
      if (!semver.subset(claimed, range, { includePrerelease: false })) refusing.push(`${where}@${pkg.version}: node ${range}`);
    }
    assert.ok(checked > 50, `the lockfile was read (${checked} packages declare engines)`);
    assert.deepEqual(refusing, [], `these would print EBADENGINE on part of ${claimed}; pin them in package.json "overrides"`);
  });
});
