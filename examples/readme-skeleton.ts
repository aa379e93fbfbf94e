// The README's skeleton example, type-checked with the project (tsconfig includes examples/*.ts).
import { allowUids, connect, DBusError } from 'dbus-codegen-ts/runtime';
import { exportVMState1 } from '../generated/org.qemu.VMState1.js';

export async function serve(address: string): Promise<() => Promise<void>> {
  const bus = await connect(address);
  let state = Buffer.from('hello');
  const skeleton = exportVMState1(
    bus,
    '/org/qemu/VMState1',
    {
      save: () => state, // validated as `ay` before the reply is sent
      load: (data, ctx) => {
        if (data.length === 0)
          throw new DBusError('org.example.Error.Empty', `empty from ${ctx.sender}`);
        state = Buffer.from(data);
      },
    },
    { id: 'my-helper' },
    { authorize: allowUids([process.getuid?.() ?? 0]) }, // others get AccessDenied
  );
  await bus.requestName('org.qemu.VMState1', 0); // queue behind other helpers
  return async () => {
    skeleton.unexport();
    await bus.close();
  };
}
