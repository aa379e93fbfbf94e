/** org.freedesktop.DBus.Peer, answered on every path (as libdbus and GDBus do). */
import { readFileSync } from 'node:fs';
import type { Connection, IncomingMessage } from './connection.js';
import { ErrorNames } from './errors.js';

export const PEER = 'org.freedesktop.DBus.Peer';

export const MACHINE_ID_FILES = ['/var/lib/dbus/machine-id', '/etc/machine-id'];

let machineId: string | undefined;
/** The host's machine id (32 hex digits), or undefined when no file holds one. */
export function readMachineId(files: readonly string[] = MACHINE_ID_FILES): string | undefined {
  if (machineId !== undefined && files === MACHINE_ID_FILES) return machineId;
  for (const file of files) {
    try {
      const id = readFileSync(file, 'ascii').trim();
      if (/^[0-9a-f]{32}$/.test(id)) {
        if (files === MACHINE_ID_FILES) machineId = id;
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
