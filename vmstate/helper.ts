/**
 * The helper side of dbus-vmstate (QEMU docs/interop/dbus-vmstate.rst): a process that holds
 * some state of a VM and hands it to the migrator. `serveVMState` exports the generated
 * VMState1 skeleton at `/org/qemu/VMState1` and queues for `org.qemu.VMState1` without
 * DO_NOT_QUEUE, so every helper of the VM shares the one name.
 */
import { type VMState1Handlers, VMState1Skeleton } from '../generated/org.qemu.VMState1.js';
import { type Connection, DBusError } from '../runtime/index.js';
import { checkId, MAX_DATA_BYTES } from './blob.js';
import { VMStateError } from './errors.js';

/** The name every helper owns or queues for (QEMU finds helpers by it). */
export const VMSTATE_BUS_NAME = 'org.qemu.VMState1';
/** The object path QEMU calls a helper at. */
export const VMSTATE_PATH = '/org/qemu/VMState1';
/** Error names our helper replies with. */
export const VMStateErrorNames = {
  SaveFailed: 'org.qemu.VMState1.Error.SaveFailed',
  LoadFailed: 'org.qemu.VMState1.Error.LoadFailed',
  TooLarge: 'org.freedesktop.DBus.Error.LimitsExceeded',
} as const;

/** What {@link serveVMState} serves: the helper's Id and its save/load callbacks. */
export interface VMStateHelperOptions {
  /** Unique among the VM's helpers; 1..255 bytes of UTF-8. */
  readonly id: string;
  /** Returns the current state (at most 1 MiB). Called on the source; the helper keeps running. */
  readonly save: () => Uint8Array | Promise<Uint8Array>;
  /** Restores state. Called on the destination. Throwing fails the migration. */
  readonly load: (data: Buffer) => void | Promise<void>;
  /**
   * Incoming mode (dbus-vmstate.rst): the helper starts waiting for its Load, and
   * {@link VMStateHelper.incoming} resolves once a Load has succeeded. Default false.
   */
  readonly incoming?: boolean;
}

/** A running helper, as {@link serveVMState} returns it. */
export interface VMStateHelper {
  readonly id: string;
  /** True when this helper got the name as primary owner, false when queued behind others. */
  readonly primaryOwner: boolean;
  /**
   * In incoming mode: resolves with the loaded data after the first successful Load; rejects
   * if the helper is stopped first. Undefined when not in incoming mode.
   */
  readonly incoming: Promise<Buffer> | undefined;
  /** Counts of calls served, for logs and tests. */
  readonly calls: { readonly save: number; readonly load: number };
  /** Releases the name and unexports the object (the connection stays open). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Serves one VMState helper on `bus` (a connection to the VM's private bus).
 *
 * @example
 * const bus = await connect(address);
 * const helper = await serveVMState(bus, {
 *   id: 'my-device',
 *   save: () => Buffer.from(JSON.stringify(state)),
 *   load: (data) => { state = JSON.parse(data.toString()); },
 * });
 */
export async function serveVMState(
  bus: Connection,
  options: VMStateHelperOptions,
): Promise<VMStateHelper> {
  const { id } = options;
  const checked = checkId(id);
  if ('reason' in checked) {
    throw new VMStateError('invalid-id', `VMState Id ${JSON.stringify(id)} ${checked.reason}`, {
      helperId: id,
    });
  }
  const calls = { save: 0, load: 0 };
  let settleIncoming: { resolve: (d: Buffer) => void; reject: (e: Error) => void } | undefined;
  const incoming = options.incoming
    ? new Promise<Buffer>((resolve, reject) => {
        settleIncoming = { resolve, reject };
      })
    : undefined;
  // Nobody may be awaiting it yet; a rejection on stop must not be unhandled.
  incoming?.catch(() => {});

  const handlers: VMState1Handlers = {
    save: async (): Promise<Uint8Array> => {
      calls.save++;
      let data: Uint8Array;
      try {
        data = await options.save();
      } catch (err) {
        throw asDBusError(
          err,
          VMStateErrorNames.SaveFailed,
          `helper ${JSON.stringify(id)}: Save failed`,
        );
      }
      if (data.length > MAX_DATA_BYTES) {
        throw new DBusError(
          VMStateErrorNames.TooLarge,
          `helper ${JSON.stringify(id)}: state is ${data.length} bytes (at most ${MAX_DATA_BYTES})`,
        );
      }
      return data;
    },
    load: async (data: Buffer): Promise<void> => {
      calls.load++;
      if (data.length > MAX_DATA_BYTES) {
        throw new DBusError(
          VMStateErrorNames.TooLarge,
          `helper ${JSON.stringify(id)}: Load of ${data.length} bytes (at most ${MAX_DATA_BYTES})`,
        );
      }
      try {
        await options.load(data);
      } catch (err) {
        throw asDBusError(
          err,
          VMStateErrorNames.LoadFailed,
          `helper ${JSON.stringify(id)}: Load failed`,
        );
      }
      settleIncoming?.resolve(data);
    },
  };
  const skeleton = exportHelperObject(bus, id, handlers);

  let reply: number;
  try {
    // Flags 0: no DO_NOT_QUEUE (helpers queue behind each other), no replacement.
    reply = await bus.requestName(VMSTATE_BUS_NAME, 0);
  } catch (err) {
    skeleton.unexport();
    throw err;
  }
  if (reply !== 1 && reply !== 2) {
    // 4: this connection already owns the name, i.e. already serves a helper; the bus tells
    // helpers apart by connection, so each helper needs its own.
    skeleton.unexport();
    throw new VMStateError(
      'invalid-id',
      `helper ${JSON.stringify(id)}: this connection already holds ${VMSTATE_BUS_NAME} (RequestName reply ${reply}); use one connection per helper`,
      { helperId: id },
    );
  }
  let stopped = false;
  return {
    id,
    primaryOwner: reply === 1,
    incoming,
    calls,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      settleIncoming?.reject(
        new Error(`helper ${JSON.stringify(id)} stopped before its Load arrived`),
      );
      try {
        // Name first, so no migrator finds us and then an unexported object.
        await bus.releaseName(VMSTATE_BUS_NAME);
      } catch {
        // The connection may already be closed; the bus drops our names then anyway.
      }
      skeleton.unexport();
    },
  };
}

function exportHelperObject(
  bus: Connection,
  id: string,
  handlers: VMState1Handlers,
): VMState1Skeleton {
  try {
    return new VMState1Skeleton(bus, VMSTATE_PATH, handlers, { id });
  } catch (err) {
    // The bus tells helpers apart by connection: a second one here would shadow the first.
    const why = err instanceof Error ? err.message : String(err);
    throw new VMStateError(
      'invalid-id',
      `helper ${JSON.stringify(id)}: cannot export ${VMSTATE_PATH} (${why}); use one connection per helper`,
      { helperId: id, cause: err },
    );
  }
}

/**
 * A DBusError thrown by `save`/`load` goes to the migrator as it is: that is how a helper
 * says why. Anything else is logged here and sent without its message, which may carry file
 * paths or other internals (an ENOENT names the state file); only a system error's code
 * (`ENOENT`) goes along.
 */
function asDBusError(err: unknown, name: string, prefix: string): DBusError {
  if (err instanceof DBusError) return err;
  console.error(`dbus-vmstate: ${prefix}:`, err);
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return new DBusError(name, `${prefix}${typeof code === 'string' ? ` (${code})` : ''}`);
}
