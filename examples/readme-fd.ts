// The README's fd and peer-to-peer example, type-checked with the project (tsconfig includes
// examples/*.ts): register a QEMU display listener on a socketpair and serve it peer-to-peer.
import { connect, connectPeer, socketPair, type UnixFd } from 'dbus-codegen-ts/runtime';
import { ConsoleProxy } from '../generated/org.qemu.Display1.Console.js';
import { exportListener, type ListenerHandlers } from '../generated/org.qemu.Display1.Listener.js';

export async function listen(address: string, handlers: ListenerHandlers): Promise<void> {
  const bus = await connect(address); // negotiates fd passing (NEGOTIATE_UNIX_FD)
  const console0 = new ConsoleProxy(bus, 'org.qemu', '/org/qemu/Display1/Console_0');
  const [mine, theirs] = socketPair(); // two connected UnixFd, close-on-exec
  await console0.registerListener(theirs); // QEMU gets a duplicate and serves auth on it
  theirs.close();
  const p2p = await connectPeer({ fd: mine.take() }); // client auth, no Hello
  exportListener(p2p, '/org/qemu/Display1/Listener', handlers, { interfaces: [] }); // same tick
}

/** A DMA-BUF handler that keeps the fd beyond the call: take() it, close it later. */
export function keepDmabuf(dmabuf: UnixFd, keep: (fd: number) => void): void {
  keep(dmabuf.take()); // without take(), the runtime closes it when the handler returns
}
