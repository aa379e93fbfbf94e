/**
 * Child process: helpers on our skeleton. argv: ADDRESS SPEC...; SPEC is `id:size` or
 * `id:size:exit-on-save` (the process exits in the middle of that helper's Save).
 * Prints `ready <id>` per helper, then `save <id>` / `load <id> <bytes>` per call.
 */
import { connect } from '../../runtime/index.js';
import { serveVMState } from '../../vmstate/helper.js';

const [address, ...specs] = process.argv.slice(2);
if (address === undefined) throw new Error('usage: ADDRESS id:size[:exit-on-save]...');
const stops: (() => Promise<void>)[] = [];
for (const spec of specs) {
  const [id = '', size = '0', mode] = spec.split(':');
  const pattern = Buffer.from(`${id}\0`);
  let data = Buffer.alloc(Number(size));
  for (let i = 0; i < data.length; i += pattern.length) pattern.copy(data, i);
  const bus = await connect(address);
  const helper = await serveVMState(bus, {
    id,
    save: () => {
      console.log(`save ${id}`);
      if (mode === 'exit-on-save') process.exit(3);
      return data;
    },
    load: (d) => {
      data = Buffer.from(d);
      console.log(`load ${id} ${d.length}`);
    },
  });
  stops.push(async () => {
    await helper.stop();
    await bus.close();
  });
  console.log(`ready ${id}`);
}
const stop = async (): Promise<void> => {
  await Promise.all(stops.map((s) => s()));
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
