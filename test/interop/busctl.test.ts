/** `busctl` (systemd's sd-bus) as an independent client: call, get/set-property, introspect. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTool, type InteropServer, run, startInteropServer } from '../support/interop-server.js';

const available = hasTool('busctl');
if (!available) console.log('busctl interop skipped: busctl (systemd) not found');

describe.skipIf(!available)('busctl -> our skeleton', () => {
  let srv: InteropServer;
  beforeAll(async () => {
    srv = await startInteropServer();
  });
  afterAll(async () => {
    await srv?.stop();
  });
  const busctl = (...args: string[]) => run('busctl', [`--address=${srv.tb.address}`, ...args]);
  const call = (method: string, ...args: string[]) =>
    busctl(
      'call',
      '--json=short',
      srv.conn.uniqueName,
      '/org/example/Interop1',
      'org.example.Interop1',
      method,
      '--',
      ...args,
    );

  it.each([
    ['Echo_x', ['x', '-9007199254740991'], { type: 'x', data: [-9007199254740991] }],
    ['Echo_s', ['s', 'héllo'], { type: 's', data: ['héllo'] }],
    ['Echo_ay', ['ay', '3', '1', '2', '255'], { type: 'ay', data: [[1, 2, 255]] }],
    [
      'Echo_aDsvE',
      ['a{sv}', '1', 'k', 'u', '5'],
      { type: 'a{sv}', data: [{ k: { type: 'u', data: 5 } }] },
    ],
    [
      'Echo_SisvT',
      ['(isv)', '1', 'x', 'b', 'true'],
      { type: '(isv)', data: [[1, 'x', { type: 'b', data: true }]] },
    ],
    ['Add', ['xx', '5', '-7'], { type: 'x', data: [-2] }],
  ] as const)('call %s', async (method, args, expected) => {
    const r = await call(method, ...args);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(expected);
  });

  it('call with an int-keyed dict (busctl has no JSON form for it)', async () => {
    const r = await busctl(
      'call',
      srv.conn.uniqueName,
      '/org/example/Interop1',
      'org.example.Interop1',
      'Echo_aDisE',
      '--',
      'a{is}',
      '2',
      '1',
      'one',
      '-2',
      'two',
    );
    expect(r.stdout.trim()).toBe('a{is} 2 1 "one" -2 "two"');
  });

  it('errors: wrong signature, unknown method/object, custom', async () => {
    expect((await call('Add', 's', 'x')).stderr).toContain('has wrong args (s, expected xx)');
    expect((await call('Nope')).stderr).toContain('no method Nope');
    expect(
      (await busctl('call', srv.conn.uniqueName, '/nope', 'org.example.Interop1', 'Add')).stderr,
    ).toContain('no object at path /nope');
    expect((await call('Fail')).stderr).toContain('custom text');
  });

  it('get-property and set-property', async () => {
    const get = (p: string) =>
      busctl(
        'get-property',
        '--json=short',
        srv.conn.uniqueName,
        '/org/example/Interop1',
        'org.example.Interop1',
        p,
      );
    expect(JSON.parse((await get('Name')).stdout)).toEqual({ type: 's', data: 'n' });
    expect(JSON.parse((await get('Tags')).stdout)).toEqual({
      type: 'a{sv}',
      data: { a: { type: 's', data: 'b' } },
    });
    const set = await busctl(
      'set-property',
      srv.conn.uniqueName,
      '/org/example/Interop1',
      'org.example.Interop1',
      'Volume',
      'u',
      '11',
    );
    expect(set.code).toBe(0);
    expect(srv.skeleton.getProperty('volume')).toBe(11);
    const ro = await busctl(
      'set-property',
      srv.conn.uniqueName,
      '/org/example/Interop1',
      'org.example.Interop1',
      'Name',
      's',
      'x',
    );
    expect(ro.code).not.toBe(0);
    expect(ro.stderr).toContain('read-only');
  });

  it('introspect lists members with signatures and flags', async () => {
    const r = await busctl('introspect', srv.conn.uniqueName, '/org/example/Interop1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\.Add\s+method\s+xx\s+x/);
    expect(r.stdout).toMatch(/\.Volume\s+property\s+u\s+\d+\s+emits-change writable/);
    expect(r.stdout).toMatch(/\.Tick\s+signal\s+uay/);
    expect(r.stdout).toContain('org.freedesktop.DBus.Properties');
  });
});
