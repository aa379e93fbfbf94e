/**
 * Child process of fd-fallback.test.ts, run with DBUS_CODEGEN_TS_NATIVE=none: connects to
 * the bus at argv[2] through Node's net, calls the bus, then tries to send an `h`. Prints
 * one JSON line with what happened.
 */
import { connect } from '../../runtime/connection.js';
import { socketPair } from '../../runtime/unix-fd.js';

const conn = await connect(process.argv[2]!);
const [id] = await conn.callBus('GetId');
const out: Record<string, unknown> = { id, unixFds: conn.unixFds };
try {
  await conn.call({
    destination: 'org.freedesktop.DBus',
    path: '/',
    member: 'X',
    signature: 'h',
    body: [0],
  });
} catch (err) {
  out['call'] = { name: (err as Error).name, message: (err as Error).message };
}
try {
  socketPair();
} catch (err) {
  out['socketPair'] = (err as Error).name;
}
await conn.close();
console.log(JSON.stringify(out));
