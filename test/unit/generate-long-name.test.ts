import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../build/generate.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';

const dir = join(import.meta.dirname, '../fixtures/out', `long-name-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A valid interface name may be 255 bytes, but `<name>.ts` must fit a file name (255 bytes):
// a located error, nothing written, instead of a write failure.
describe('interface names too long for a module file', () => {
  it('is a located error and nothing is written', async () => {
    mkdirSync(dir, { recursive: true });
    // 253 bytes: a valid interface name (at most 255), but "<name>.ts" is 256 bytes.
    const long = `org.example.${'a'.repeat(241)}`;
    writeFileSync(join(dir, 'long.xml'), `<node>\n  <interface name="${long}"/>\n</node>\n`);
    const r = await generate({
      inputs: [join(dir, 'long.xml')],
      outDir: join(dir, 'out'),
      cwd: dir,
    });
    expect(r.exitCode).toBe(1);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(
        /^long\.xml:2:3: error DBUS063: interface name "org\.example\.a+\.\.\." is 253 bytes/,
      ),
    ]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
