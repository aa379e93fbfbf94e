import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../../build/generate.js';
import { readFingerprint } from '../../build/write.js';
import { UsageError } from '../../generator/diagnostics.js';

const A = `<node>
  <interface name="com.example.Alpha1">
    <method name="Ping"><arg name="x" type="s" direction="in"/><arg name="y" type="u" direction="out"/></method>
    <property name="Level" type="i" access="readwrite"/>
  </interface>
</node>
`;
const B = `<node>
  <interface name="com.example.Beta1">
    <signal name="Changed"><arg name="what" type="a{sv}"/></signal>
  </interface>
</node>
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dbus-codegen-gen-'));
  writeFileSync(join(dir, 'a.xml'), A);
  writeFileSync(join(dir, 'b.xml'), B);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const opts = (extra: object = {}) => ({
  inputs: ['a.xml', 'b.xml'],
  outDir: 'out',
  cwd: dir,
  ...extra,
});

describe('generate()', () => {
  it('writes one module per interface plus index.ts, each with a fingerprint line', async () => {
    const r = await generate(opts());
    expect(r.exitCode).toBe(0);
    expect(r.diagnostics).toEqual([]);
    expect(r.files.map((f) => [f.path, f.status])).toEqual([
      ['out/com.example.Alpha1.ts', 'written'],
      ['out/com.example.Beta1.ts', 'written'],
      ['out/index.ts', 'written'],
    ]);
    for (const f of r.files) {
      expect(readFileSync(join(dir, f.path), 'utf8')).toBe(f.content);
      const fp = readFingerprint(f.content);
      expect(fp).toMatchObject({ warnings: 0, intact: true });
    }
    // a.xml and b.xml are every *.xml of the directory: the command says so.
    expect(r.files[0]!.content).toContain('// Regenerate: dbus-codegen-ts generate *.xml -o out\n');
  });

  it('a second run changes nothing and takes the fast path', async () => {
    await generate(opts());
    const r = await generate(opts());
    expect(r.fastPath).toBe(true);
    expect(r.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('a no-change run with warnings in the inputs still reports them', async () => {
    writeFileSync(join(dir, 'b.xml'), B.replace('<signal', '<bogus/><signal'));
    await generate(opts());
    const r = await generate(opts());
    expect(r.fastPath).toBe(true);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['DBUS006']);
  });

  it('stamps files whose header is long (many inputs)', async () => {
    const inputs = Array.from({ length: 40 }, (_, i) => {
      const name = `very-long-input-file-name-number-${i}.xml`;
      writeFileSync(join(dir, name), A.replace('Alpha1', `Alpha${i}x`));
      return name;
    });
    const r = await generate(opts({ inputs }));
    expect(r.files).toHaveLength(41);
    expect(r.files.every((f) => readFingerprint(f.content)?.intact === true)).toBe(true);
    expect((await generate(opts({ inputs }))).fastPath).toBe(true);
  });

  it('a hand-edited file is noticed and rewritten', async () => {
    const first = await generate(opts());
    const target = join(dir, first.files[0]!.path);
    writeFileSync(target, `${readFileSync(target, 'utf8')}// edit\n`);
    const r = await generate(opts());
    expect(r.fastPath).toBe(false);
    expect(r.files.map((f) => f.status)).toEqual(['written', 'unchanged', 'unchanged']);
    expect(readFileSync(target, 'utf8')).toBe(first.files[0]!.content);
  });

  it('check mode writes nothing and names stale and missing files (exit 1)', async () => {
    let r = await generate(opts({ check: true }));
    expect(r.exitCode).toBe(1);
    expect(r.files.map((f) => f.status)).toEqual(['missing', 'missing', 'missing']);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    await generate(opts());
    r = await generate(opts({ check: true }));
    expect(r.exitCode).toBe(0);
    writeFileSync(join(dir, 'a.xml'), A.replace('Ping', 'Pong'));
    r = await generate(opts({ check: true }));
    expect(r.exitCode).toBe(1);
    // Only a.xml's module: b's module and index.ts do not depend on a.xml's contents.
    expect(r.files.map((f) => f.status)).toEqual(['stale', 'unchanged', 'unchanged']);
  });

  it('inputs in two orders give byte-identical output', async () => {
    const one = await generate(opts());
    rmSync(join(dir, 'out'), { recursive: true });
    const two = await generate(opts({ inputs: ['b.xml', './a.xml'] }));
    expect(two.files.map((f) => f.content)).toEqual(one.files.map((f) => f.content));
  });

  it('writes nothing when any input has an error', async () => {
    writeFileSync(join(dir, 'b.xml'), B.replace('a{sv}', 'a{vs}'));
    const r = await generate(opts());
    expect(r.exitCode).toBe(1);
    expect(r.files).toEqual([]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(r.diagnostics.map((d) => `${d.location.file}:${d.location.line} ${d.code}`)).toEqual([
      'b.xml:3 DBUS020',
    ]);
  });

  it('reports an unreadable input as a located error', async () => {
    const r = await generate(opts({ inputs: ['a.xml', 'nope.xml'] }));
    expect(
      r.diagnostics.map(
        (d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.code} ${d.message}`,
      ),
    ).toEqual(['nope.xml:1:1 DBUS090 cannot read input: no such file']);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('locates bytes that are not UTF-8', async () => {
    writeFileSync(
      join(dir, 'b.xml'),
      Buffer.concat([
        Buffer.from('<node>\n  <!-- caf'),
        Buffer.from([0xe9]),
        Buffer.from(' -->\n</node>\n'),
      ]),
    );
    const r = await generate(opts());
    expect(
      r.diagnostics.map(
        (d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.code}`,
      ),
    ).toEqual(['b.xml:2:11 DBUS001']);
    expect(r.exitCode).toBe(1);
  });

  it('refuses unknown and ill-typed options', async () => {
    await expect(generate({ ...opts(), outdir: 'x' } as never)).rejects.toThrow(UsageError);
    await expect(generate({ ...opts(), check: 'yes' } as never)).rejects.toThrow(
      /"check" must be true or false/,
    );
    await expect(generate(opts({ inputs: [] }))).rejects.toThrow(/at least one/);
    await expect(generate(opts({ relax: ['DBUS020'] }))).rejects.toThrow(/only DBUS030, DBUS041/);
  });

  it('warningsAsErrors fails on warnings', async () => {
    writeFileSync(join(dir, 'b.xml'), B.replace('<signal', '<bogus/><signal'));
    const r = await generate(opts({ warningsAsErrors: true }));
    expect(r.exitCode).toBe(1);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['error DBUS006']);
  });
});
