/**
 * Without the native module (DBUS_CODEGEN_TS_NATIVE=none, as after a failed build):
 * everything without `h` works through Node's net, and `h` fails with one error that says
 * how to fix the install.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestBus, type TestBus } from '../support/bus.js';

const MAIN = fileURLToPath(new URL('../support/fd-fallback-main.ts', import.meta.url));
let tb: TestBus;
beforeAll(async () => {
  tb = await startTestBus();
});
afterAll(async () => {
  await tb?.stop();
});

it('calls work, h is refused with UnixFdUnsupportedError naming the fix', async () => {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, tb.address],
      { env: { ...process.env, DBUS_CODEGEN_TS_NATIVE: 'none' } },
      (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out)),
    );
  });
  const got = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(got.id).toMatch(/^[0-9a-f]{32}$/);
  expect(got.unixFds).toBe(false);
  expect(got.call.name).toBe('UnixFdUnsupportedError');
  expect(got.call.message).toContain('npm run build:native');
  expect(got.call.message).toContain('DBUS_CODEGEN_TS_NATIVE=none');
  expect(got.socketPair).toBe('UnixFdUnsupportedError');
});
