/**
 * Child process: a hostile VMState helper. argv: ADDRESS ID BYTES. It queues for
 * org.qemu.VMState1, answers Properties.Get(Id) honestly and Save with an `av` of 1-byte
 * variants of BYTES bytes (written raw). Prints `ready` once queued, `save` per Save.
 */
import { connect, Variant } from '../../runtime/index.js';
import { avReply, writeRaw } from './hostile-wire.js';

const [address, id = 'evil', size = '0'] = process.argv.slice(2);
if (address === undefined) throw new Error('usage: ADDRESS ID BYTES');
const conn = await connect(address);
let serial = 0x7f00_0000;
conn.setMethodCallHandler((m) => {
  if (m.member === 'Get') conn.reply(m, 'v', [new Variant('s', id)]);
  else if (m.member === 'Save') {
    console.log('save');
    writeRaw(conn, avReply(m.sender ?? '', serial++, m.serial, Number(size)));
  } else conn.replyError(m, 'org.freedesktop.DBus.Error.UnknownMethod', String(m.member));
});
await conn.requestName('org.qemu.VMState1', 0);
console.log('ready');
process.on('SIGTERM', () => process.exit(0));
