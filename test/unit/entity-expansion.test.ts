/**
 * DOCTYPE entities are expanded without recursion, but one entity referenced thousands of
 * times still multiplied a 16 KB file into 58 MB of generated output (and a 70 KB one into an
 * internal error). The total expansion per document is bounded: max(1 MiB, 16 x its length),
 * reported as a located DBUS015, never an internal error.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check } from '../../generator/check.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { EXPANSION_FACTOR, expansionLimit, MIN_EXPANSION } from '../../generator/parse/entities.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = join(ROOT, 'test/fixtures/out', `entity-expansion-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A document declaring `&e;` as `valueLength` x's and referencing it `refs` times. */
function amplifier(valueLength: number, refs: number, padding = 0): string {
  return `<!DOCTYPE node [\n  <!ENTITY e "${'x'.repeat(valueLength)}">\n]>\n<node>\n  <interface name="org.example.A1">\n    <annotation name="org.gtk.GDBus.DocString" value="${'&e;'.repeat(refs)}"/>\n    <!--${' '.repeat(padding)}-->\n  </interface>\n</node>\n`;
}

function errorsOf(text: string): string[] {
  const r = check([{ file: 'amp.xml', text }]);
  return r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
}

describe('entity expansion bound', () => {
  it('is max(1 MiB, 16 x the document length)', () => {
    expect(expansionLimit(10)).toBe(MIN_EXPANSION);
    expect(expansionLimit(1 << 20)).toBe(EXPANSION_FACTOR << 20);
  });

  it('a 16 KB document that expanded to 58 MB is a located DBUS015 at the declaration', () => {
    const text = amplifier(4000, 4000);
    expect(text.length).toBeLessThan(17_000);
    expect(errorsOf(text)).toEqual([
      expect.stringMatching(
        /^amp\.xml:2:3: error DBUS015: entity expansion exceeds the limit: declared entities would produce more than 1048576 characters .*"&e;" crossed it$/,
      ),
    ]);
  });

  it('expansion just under the limit is accepted, and the budget is per document', () => {
    // 250 x 4000 = 1,000,000 < 1 MiB; two such documents in one run are both fine.
    const under = amplifier(4000, 250);
    const r = check([
      { file: 'a.xml', text: under },
      { file: 'b.xml', text: under.replace('org.example.A1', 'org.example.B1') },
    ]);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const doc = r.interfaces.find((i) => i.iface.name === 'org.example.A1')?.iface;
    expect(doc?.docs?.text?.length).toBe(1_000_000);
    // 270 x 4000 = 1,080,000 > 1 MiB
    expect(errorsOf(amplifier(4000, 270))).toEqual([expect.stringMatching(/DBUS015/)]);
  });

  it('a large document may expand to 16 x its length', () => {
    // 2 MiB of padding: the limit becomes ~33.6 M; 8 M of expansion passes.
    const big = amplifier(4000, 2000, 2 << 20);
    expect(errorsOf(big)).toEqual([]);
  });

  it('the 70 KB file that ended in an internal error: exit 1, located, nothing written', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'big.xml'), amplifier(4000, 22_000));
    const r = await new Promise<{ code: number; stderr: string }>((done) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'cli/cli.ts'), 'generate', 'big.xml', '-o', 'out'],
        { cwd: dir },
        (err, _stdout, stderr) => done({ code: err ? Number(err.code ?? 1) : 0, stderr }),
      );
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^big\.xml:2:3: error DBUS015: /m);
    expect(r.stderr).not.toMatch(/internal error|RangeError/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
