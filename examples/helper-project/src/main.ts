/**
 * A helper process for one VM: serves com.example.Counter1 (its own interface) and
 * org.qemu.VMState1 (so QEMU's dbus-vmstate migrates the counter), both from code generated
 * by `npx dbus-codegen-ts` into src/generated.
 *
 *   node dist/main.js serve ADDRESS       run the helper on the VM's bus
 *   node dist/main.js selftest ADDRESS    serve, call it through the generated proxies, exit
 */
import { connect } from 'dbus-codegen-ts/runtime';
import { Counter1Proxy, exportCounter1 } from './generated/com.example.Counter1.js';
import { exportVMState1, VMState1Proxy } from './generated/org.qemu.VMState1.js';

const [mode, address] = process.argv.slice(2);
if ((mode !== 'serve' && mode !== 'selftest') || address === undefined) {
  console.error('usage: main.js serve|selftest ADDRESS');
  process.exit(2);
}

const bus = await connect(address);
let value = 0n;
const counter = exportCounter1(
  bus,
  '/com/example/Counter1',
  {
    add(amount) {
      value += BigInt(amount);
      counter.setProperty('value', value);
      return value;
    },
  },
  { value },
);
exportVMState1(
  bus,
  '/org/qemu/VMState1',
  {
    save: () => Buffer.from(value.toString()),
    load(data) {
      value = BigInt(data.toString());
      counter.setProperty('value', value);
    },
  },
  { id: 'counter' },
);
await bus.requestName('com.example.Counter1');

if (mode === 'selftest') {
  const client = await connect(address);
  const proxy = new Counter1Proxy(client, 'com.example.Counter1', '/com/example/Counter1');
  const total: bigint = await proxy.add(5);
  const vmstate = new VMState1Proxy(client, bus.uniqueName, '/org/qemu/VMState1');
  const saved = await vmstate.save();
  await vmstate.load(Buffer.from('42'));
  console.log(
    JSON.stringify({
      total: total.toString(),
      saved: saved.toString(),
      value: (await proxy.get('value')).toString(),
      id: await vmstate.get('id'),
    }),
  );
  await client.close();
  await bus.close();
} else {
  console.log(`serving com.example.Counter1 on ${address} as ${bus.uniqueName}`);
}
