/**
 * Our side of the scanout bench: a DisplayListener on the peer-to-peer connection over the
 * socket fd given as argv[2] (authenticating as the client, as with QEMU). Run by
 * scanout-sender.py; exits when the sender closes the connection.
 */
import { DisplayListener } from '../../display/listener.js';
import { connectPeer } from '../../runtime/index.js';

const conn = await connectPeer({ fd: Number(process.argv[2]) });
new DisplayListener(conn);
await new Promise<void>((resolve) => conn.onClose(() => resolve()));
