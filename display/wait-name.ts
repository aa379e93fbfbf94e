/**
 * Waiting for a bus name to get an owner: QEMU with `-display dbus` connects to the bus and
 * takes `org.qemu` only once the machine is built, so a client started with the bus may be
 * early. Subscribes to NameOwnerChanged for the name first, then asks NameHasOwner, so an
 * owner that appears in between is not missed; no polling.
 */
import { DBusProxy } from '../generated/org.freedesktop.DBus.js';
import { type Connection, subscribeSignal } from '../runtime/index.js';

/** The name had no owner within the timeout. */
export class NameTimeoutError extends Error {
  override readonly name = 'NameTimeoutError';
}

/** Resolves once `name` has an owner on `conn`'s bus; rejects with {@link NameTimeoutError} after `timeoutMs`. */
export async function waitForName(
  conn: Connection,
  name: string,
  timeoutMs: number,
): Promise<void> {
  let appeared: () => void = () => {};
  const owned = new Promise<void>((resolve) => {
    appeared = resolve;
  });
  const unsubscribe = await subscribeSignal(
    conn,
    {
      sender: 'org.freedesktop.DBus',
      interfaceName: 'org.freedesktop.DBus',
      member: 'NameOwnerChanged',
      arg0: name,
    },
    (msg) => {
      if (msg.body[0] === name && msg.body[2] !== '') appeared();
    },
    'sss',
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    const dbus = new DBusProxy(conn, 'org.freedesktop.DBus', '/org/freedesktop/DBus');
    if (await dbus.nameHasOwner(name)) return;
    await Promise.race([
      owned,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new NameTimeoutError(`${name} did not appear on the bus within ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await unsubscribe().catch(() => undefined);
  }
}
