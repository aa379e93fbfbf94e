// Which Node runs the suite, so a log proves it. scripts/node-versions.sh (CI, `npm run
// test:node -- 22`) sets EXPECT_NODE_MAJOR and puts that node first on PATH; then the test
// worker, `node` found through PATH (npx, runuser ... node) and process.execPath (most tests'
// children) must all be that one version, or a "Node 24" run would quietly test Node 20.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const expected = process.env['EXPECT_NODE_MAJOR'];

function versionOf(node: string): string {
  return execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
}

describe('node version', () => {
  it(`runs on ${process.version} (engines: >=20)`, () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(20);
    expect(versionOf(process.execPath)).toBe(process.version);
  });

  it.runIf(expected)(
    `is Node ${expected} as asked, and so are the children that tests spawn`,
    () => {
      expect(process.versions.node.split('.')[0]).toBe(expected);
      expect(versionOf('node')).toBe(process.version);
    },
  );
});
