// The README's proxy example, type-checked with the project (tsconfig includes examples/*.ts).
import { connect, DBusError, ValidationError } from 'dbus-codegen-ts/runtime';
import { DBusProxy } from '../generated/org.freedesktop.DBus.js';
import { VMState1Proxy } from '../generated/org.qemu.VMState1.js';

export async function listHelpers(address: string): Promise<void> {
  const bus = await connect(address); // unix:path=..., tcp:...; waits for Hello
  const daemon = new DBusProxy(bus, 'org.freedesktop.DBus', '/org/freedesktop/DBus');
  for (const owner of await daemon.listQueuedOwners('org.qemu.VMState1')) {
    const helper = new VMState1Proxy(bus, owner, '/org/qemu/VMState1', { timeoutMs: 5000 });
    const id = await helper.get('id'); // string, checked on receipt
    try {
      const data = await helper.save({ noAutoStart: true }); // Buffer
      console.log(`${id}: ${data.length} bytes`);
    } catch (err) {
      if (err instanceof DBusError) console.log(`${id}: ${err.type}: ${err.text}`);
      else if (err instanceof ValidationError) console.log(`bad reply from ${id}: ${err.message}`);
      else throw err;
    }
  }
  await bus.close();
}
