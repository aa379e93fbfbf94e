/**
 * `gdbus` (GLib) as an independent client of our skeleton: values round-trip, error names
 * are right, and `gdbus introspect` parses our XML (gdbus call itself introspects first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool, type InteropServer, run, startInteropServer } from '../support/interop-server.js';

const available = hasTool('gdbus');
if (!available) console.log('gdbus interop skipped: gdbus (libglib2.0-bin) not found');

describe.skipIf(!available)('gdbus -> our skeleton', () => {
  let srv: InteropServer;
  beforeAll(async () => {
    srv = await startInteropServer();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  const PATH = '/org/example/Interop1';
  const gdbusCall = (path: string, method: string, ...args: string[]) =>
    run('gdbus', [
      'call',
      '--address',
      srv.tb.address,
      '--dest',
      srv.conn.uniqueName,
      '--object-path',
      path,
      '--method',
      method,
      ...args,
    ]);
  const call = (method: string, ...args: string[]) =>
    gdbusCall(PATH, `org.example.Interop1.${method}`, '--', ...args);

  it.each([
    ['Echo_y', '200', '(byte 0xc8,)'],
    ['Echo_b', 'true', '(true,)'],
    ['Echo_n', '-32768', '(int16 -32768,)'],
    ['Echo_x', '-9223372036854775808', '(int64 -9223372036854775808,)'],
    ['Echo_t', '18446744073709551615', '(uint64 18446744073709551615,)'],
    ['Echo_d', '3.25', '(3.25,)'],
    ['Echo_s', "'héllo 🌍'", "('héllo 🌍',)"],
    ['Echo_o', "'/a/b'", "(objectpath '/a/b',)"],
    ['Echo_g', "'a{sv}'", "(signature 'a{sv}',)"],
    ['Echo_ay', '[1, 2]', '([byte 0x01, 0x02],)'],
    ['Echo_aay', '[[1], []]', '([[byte 0x01], []],)'],
    ['Echo_aDsvE', "{'a': <1>, 'b': <@ay [3]>}", "({'a': <1>, 'b': <[byte 0x03]>},)"],
    ['Echo_aDisE', "{1: 'x', -2: 'y'}", "({1: 'x', -2: 'y'},)"],
    ['Echo_SisvT', "(1, 'x', <'y'>)", "((1, 'x', <'y'>),)"],
    ['Echo_v', '<(1, 2)>', '(<(1, 2)>,)'],
  ])('%s %s', async (method, arg, expected) => {
    const r = await call(method, arg);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(expected);
  });

  it('several out args', async () => {
    expect((await call('Pair')).stdout.trim()).toBe("('n', uint32 2)");
  });

  it('error names: custom, Failed without internals, UnknownMethod, UnknownObject', async () => {
    expect((await call('Fail')).stderr).toContain(
      'GDBus.Error:org.example.Error.Custom: custom text',
    );
    const crash = await call('Crash');
    expect(crash.stderr).toContain('GDBus.Error:org.freedesktop.DBus.Error.Failed:');
    expect(crash.stderr).not.toMatch(/secret|home|\.ts|:\d+:\d+/);
    const nope = await gdbusCall('/nope', 'org.example.Interop1.Nope');
    expect(nope.stderr).toMatch(/org\.freedesktop\.DBus\.Error\.Unknown(Object|Method)/);
  });

  it('gdbus introspect parses our XML, recursively from /', async () => {
    const r = await run('gdbus', [
      'introspect',
      '--address',
      srv.tb.address,
      '--dest',
      srv.conn.uniqueName,
      '--object-path',
      '/',
      '--recurse',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('node /org/example/Interop1 {');
    expect(r.stdout).toContain('interface org.example.Interop1 {');
    expect(r.stdout).toMatch(/Add\(in\s+x a,\s+in\s+x b,\s+out x sum\);/);
    expect(r.stdout).toMatch(/readwrite u Volume = 3;/);
    expect(r.stdout).toContain('Tick(u n,');
  });

  it('properties through org.freedesktop.DBus.Properties', async () => {
    const props = (m: string, ...a: string[]) =>
      gdbusCall(PATH, `org.freedesktop.DBus.Properties.${m}`, 'org.example.Interop1', ...a);
    expect((await props('Get', 'Name')).stdout.trim()).toBe("(<'n'>,)");
    expect((await props('Set', 'Volume', '<uint32 8>')).code).toBe(0);
    expect(srv.skeleton.getProperty('volume')).toBe(8);
    expect((await props('Set', 'Name', "<'x'>")).stderr).toContain(
      'org.freedesktop.DBus.Error.PropertyReadOnly',
    );
    expect((await props('Set', 'Volume', "<'x'>")).stderr).toContain(
      'org.freedesktop.DBus.Error.InvalidArgs',
    );
    expect((await props('Get', 'Nope')).stderr).toContain(
      'org.freedesktop.DBus.Error.UnknownProperty',
    );
    expect((await props('GetAll')).stdout.trim()).toBe(
      "({'Name': <'n'>, 'Volume': <uint32 8>, 'Tags': <{'a': <'b'>}>},)",
    );
  });
});
