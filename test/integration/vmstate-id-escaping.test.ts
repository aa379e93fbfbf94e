/**
 * Helper Ids are chosen by peers. An Id holding `\n`, a tab and `ESC[` forged whole lines of
 * `dbus-vmstate list/save/load/inspect` output (and could rewrite the terminal). Every Id
 * printed goes through terminalText: one line per helper, no control character, and the
 * escaped form maps back to the Id.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateBus } from '../../runtime/private-bus.js';
import { terminalText } from '../../runtime/terminal-text.js';
import { startTestHelper, stopAll, type TestHelper } from '../support/vmstate-helpers.js';

const CLI = new URL('../../vmstate/cli.ts', import.meta.url).pathname;
const FORGER = 'evil\nidOK\t0 bytes\t0.1 ms\n\x1b[2K\x1b[1Asaved 9 helpers\u202e\x9b31m\\n';

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], (err, stdout, stderr) =>
      done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** No control, format or separator character may reach the terminal. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
function assertClean(text: string): void {
  for (const line of text.split('\n').slice(0, -1))
    expect(line.replace(/\t/g, ' ')).not.toMatch(UNSAFE);
}

describe('terminalText', () => {
  it('escapes controls, C1, bidi, separators, lone surrogates and the backslash', () => {
    expect(terminalText('a\nb\r\t\\')).toBe('a\\nb\\r\\t\\\\');
    expect(terminalText('\x1b[31m\x9b\x7f\0')).toBe('\\x1b[31m\\x9b\\x7f\\x00');
    expect(terminalText('x\u202ey\u2028\u200b\ud800')).toBe(
      'x\\u{202e}y\\u{2028}\\u{200b}\\u{d800}',
    );
    expect(terminalText('idA é 漢 😀 org.qemu-1')).toBe('idA é 漢 😀 org.qemu-1');
  });

  it('is one-to-one: distinct Ids never print the same', () => {
    const ids = ['a\nb', 'a\\nb', 'a\\\nb', 'a\\\\nb', 'a\x1bb', 'a\\x1bb'];
    expect(new Set(ids.map(terminalText)).size).toBe(ids.length);
  });
});

describe('dbus-vmstate prints a forging helper Id as one escaped field', () => {
  let bus: PrivateBus;
  let helpers: TestHelper[];
  let dir: string;
  beforeAll(async () => {
    bus = await PrivateBus.start();
    dir = mkdtempSync(join(tmpdir(), 'vmstate-id-'));
    helpers = [
      await startTestHelper(bus.address, FORGER, Buffer.from('x')),
      await startTestHelper(bus.address, 'idOK', Buffer.from('y')),
    ];
  });
  afterAll(async () => {
    await stopAll(helpers ?? []);
    await bus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('list, save, inspect and load: one line per helper, nothing forged', async () => {
    const escaped = terminalText(FORGER);
    const blob = join(dir, 'blob');
    const list = await cli('list', '--address', bus.address);
    const save = await cli('save', '--address', bus.address, '-o', blob);
    const inspect = await cli('inspect', blob);
    const load = await cli('load', '--address', bus.address, blob);
    for (const r of [list, save, inspect, load]) {
      expect(r.code, r.stderr).toBe(0);
      assertClean(r.stdout);
    }
    const ids = (out: string, skip: number): string[] =>
      out
        .split('\n')
        .slice(skip, -1)
        .map((l) => l.split('\t')[0]!)
        .sort();
    expect(ids(list.stdout, 0)).toEqual([escaped, 'idOK'].sort());
    expect(save.stdout.split('\n')).toHaveLength(4); // two helpers, the summary, the final ''
    expect(ids(inspect.stdout, 1)).toEqual([escaped, 'idOK'].sort());
    expect(load.stdout.split('\n')).toHaveLength(4);
  });

  it('an error quoting the Id is one escaped line on stderr', async () => {
    const r = await cli(
      'list',
      '--address',
      bus.address,
      '--id-list',
      'idOK,missing\x1b[2K\x9b31m\u202e',
    );
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(2);
    assertClean(r.stderr);
  });
});
