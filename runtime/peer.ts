/** org.freedesktop.DBus.Peer, answered on every path (as libdbus and GDBus do). */
import { readFileSync } from 'node:fs';
import type { Connection, IncomingMessage } from './connection.js';
import { ErrorNames } from './errors.js';

export const PEER = 'org.freedesktop.DBus.Peer';

let machineId: string | undefined;
function readMachineId(): string | undefined {
  if (machineId !== undefined) return machineId;
  for (const file of ['/var/lib/dbus/machine-id', '/etc/machine-id']) {
    try {
      const id = readFileSync(file, 'ascii').trim();
      if (/^[0-9a-f]{32}$/.test(id)) {
        machineId = id;
        return id;
      }
    } catch {
      // try the next location
    }
  }
  return undefined;
}

/** Answers a Peer call; returns false when `msg` is not one. */
export function handlePeer(conn: Connection, msg: IncomingMessage): boolean {
  if (msg.interfaceName !== PEER) return false;
  if (msg.member === 'Ping' && msg.signature === '') {
    conn.reply(msg);
  } else if (msg.member === 'GetMachineId' && msg.signature === '') {
    const id = readMachineId();
    if (id === undefined) conn.replyError(msg, ErrorNames.Failed, 'no machine id on this host');
    else conn.reply(msg, 's', [id]);
  } else if (msg.member === 'Ping' || msg.member === 'GetMachineId') {
    conn.replyError(msg, ErrorNames.InvalidArgs, `${msg.member} takes no arguments`);
  } else {
    conn.replyError(msg, ErrorNames.UnknownMethod, `no method ${msg.member} in ${PEER}`);
  }
  return true;
}
