/**
 * `unix:abstract=` bus addresses: Node 20's `net` cannot connect to them (ECONNREFUSED);
 * the native transport can. A private dbus-daemon also listens on an abstract name.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../runtime/connection.js';
import { nativeFd } from '../../runtime/transport/native.js';
import { startTestBus, type TestBus } from '../support/bus.js';

const NAME = `/tmp/dbus-codegen-ts-test-${randomBytes(6).toString('hex')}`;

describe.skipIf(nativeFd() === undefined)('abstract-socket bus address', () => {
  let tb: TestBus;
  beforeAll(async () => {
    tb = await startTestBus({ extraConfig: `<listen>unix:abstract=${NAME}</listen>` });
  });
  afterAll(async () => {
    await tb?.stop();
  });

  it(`connects, says Hello and calls the bus on Node ${process.versions.node}`, async () => {
    const conn = await connect(`unix:abstract=${NAME}`);
    try {
      expect(conn.uniqueName).toMatch(/^:1\.\d+$/);
      expect(conn.address).toBe(`unix:abstract=${NAME}`);
      const [id] = await conn.callBus('GetId');
      expect(id).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await conn.close();
    }
  });

  it('an abstract name nobody listens on fails with NoServer-like ECONNREFUSED', async () => {
    await expect(connect(`unix:abstract=${NAME}-nobody`)).rejects.toThrow(/ECONNREFUSED|refused/);
  });
});
