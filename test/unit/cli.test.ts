/** The CLI as a user runs it: exit codes, stderr format, no stack traces for user errors. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, TSX_LOADER as tsx } from '../support/temp-dir.js';

const repo = resolve(import.meta.dirname, '../..');
const cli = join(repo, 'cli/cli.ts');
const dir = makeTempDir('dbus-codegen-cli-');
afterAll(() => removeDir(dir));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', tsx, cli, ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

writeFileSync(
  join(dir, 'ok.xml'),
  '<node>\n  <interface name="com.example.Ok1">\n    <method name="Ping"/>\n  </interface>\n</node>\n',
);
writeFileSync(
  join(dir, 'bad.xml'),
  '<node>\n  <interface name="com.example.Bad1">\n    <method name="9Lives"/>\n    <property name="P" type="a" access="read"/>\n  </interface>\n</node>\n',
);
writeFileSync(
  join(dir, 'if.xml'),
  '<node>\n  <interface name="com.example.If1">\n    <?if $(env.HOST_OS) == windows?>\n    <method name="Win"/>\n    <?else?>\n    <method name="Unix"/>\n    <?endif?>\n  </interface>\n</node>\n',
);

describe('dbus-codegen-ts generate', () => {
  it('exit 1 with every diagnostic located, no stack trace, nothing written', () => {
    const r = run('generate', 'ok.xml', 'bad.xml', '-o', 'out-bad');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      [
        'bad.xml:3:5: error DBUS031: method name "9Lives" is not a valid member name: it starts with a digit',
        'bad.xml:4:5: error DBUS020: type "a" of property "P" is not valid: "a" needs an element type at position 1',
        '2 errors; nothing written',
        '',
      ].join('\n'),
    );
    expect(existsSync(join(dir, 'out-bad'))).toBe(false);
  });

  it('exit 0, then --check passes; a changed input makes --check exit 1 naming the files', () => {
    expect(run('generate', 'ok.xml', '-o', 'out').code).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['com.example.Ok1.ts', 'index.ts']);
    const again = run('generate', 'ok.xml', '-o', 'out', '--check');
    expect(again.code).toBe(0);
    writeFileSync(
      join(dir, 'ok.xml'),
      '<node><interface name="com.example.Ok1"><method name="Pong"/></interface></node>',
    );
    const stale = run('generate', 'ok.xml', '-o', 'out', '--check');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('out/com.example.Ok1.ts: stale\n');
    expect(stale.stderr).not.toContain('out/index.ts');
  });

  it('an interface whose XML is no longer an input: --check names it, a run deletes it', () => {
    writeFileSync(
      join(dir, 'two.xml'),
      '<node><interface name="com.example.Two1"><method name="M"/></interface></node>',
    );
    expect(run('generate', 'ok.xml', 'two.xml', '-o', 'out-orphan').code).toBe(0);
    const check = run('generate', 'ok.xml', '-o', 'out-orphan', '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      'out-orphan/com.example.Two1.ts: orphan (no input generates it now; a run deletes it)\n',
    );
    const r = run('generate', 'ok.xml', '-o', 'out-orphan');
    expect(r.code).toBe(0);
    // Ok1 is rewritten (its header's command line changed), its API is not
    expect(r.stdout).toBe(
      'com.example.Ok1.ts: API unchanged\n2 written, 0 unchanged, 1 deleted (no longer generated)\n',
    );
    expect(readdirSync(join(dir, 'out-orphan')).sort()).toEqual(['com.example.Ok1.ts', 'index.ts']);
  });

  it('<?if?> needs --define; with it the branch is taken', () => {
    const no = run('generate', 'if.xml', '-o', 'out-if');
    expect(no.code).toBe(1);
    expect(no.stderr).toMatch(/^if\.xml:3:5: error DBUS011: /);
    expect(run('generate', 'if.xml', '-o', 'out-if', '--define', 'HOST_OS=linux').code).toBe(0);
  });

  it('usage errors exit 2', () => {
    expect(run('generate', 'ok.xml', '-o', 'x', '--define', 'novalue').code).toBe(2);
    expect(run('generate', 'ok.xml', '-o', 'x', '--relax', 'DBUS020').code).toBe(2);
    expect(run('no-such-command').code).toBe(2);
    const bad = run('generate', 'ok.xml', '-o', 'x', '--bogus');
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('an -o that is a file, or a directory as input: exit 1, one line, no stack trace', () => {
    writeFileSync(join(dir, 'a-file'), '');
    const r = run('generate', 'ok.xml', '-o', 'a-file');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^dbus-codegen-ts: cannot create directory \S*a-file: file already exists\n$/,
    );
    mkdirSync(join(dir, 'xmldir'));
    const d = run('generate', 'xmldir', '-o', 'out-dir');
    expect(d.code).toBe(1);
    expect(d.stderr).toContain(
      'cannot read input: it is a directory (name the XML files, e.g. xmldir/*.xml)',
    );
    expect(d.stderr).not.toMatch(/\n\s+at /);
  });

  it('no arguments and no config file: a short usage error, exit 2', () => {
    expect(existsSync(join(dir, 'dbus-codegen.config.json'))).toBe(false);
    const r = run();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('dbus-codegen-ts generate <xml...> -o <dir>');
    expect(r.stderr).toContain('dbus-codegen.config.json');
    expect(r.stderr.split('\n').length).toBeLessThanOrEqual(5);
  });

  it('--help and --version exit 0', () => {
    expect(run('--help').code).toBe(0);
    const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(run('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(run('generate', '--help').stdout).toContain('--define <NAME=VALUE>');
  });
});

describe('dbus-codegen-ts lint', () => {
  it('an unknown --disable code is a usage error; the summary counts in words', () => {
    const bad = run('lint', 'ok.xml', '--disable', 'DBUS999');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not a lint code');
    expect(run('lint', 'ok.xml', '--disable', 'dbus109')).toMatchObject({ code: 0, stderr: '' });
    const ok = run('lint', 'ok.xml');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/ warning DBUS109: [^\n]*\n0 errors, \d+ warnings?\n$/);
  });
});
