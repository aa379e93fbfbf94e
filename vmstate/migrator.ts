/**
 * The migrator side of dbus-vmstate, QEMU's wire format and rules (QEMU's
 * backends/dbus-vmstate.c: helpers own or queue for org.qemu.VMState1, are told apart by
 * their Id property, and exchange one blob of Id/data entries)
 * without QEMU's faults: Save runs concurrently with a bound and any failure, timeout or
 * oversize fails the whole save naming the helper; Load checks the whole blob against the
 * helpers on the bus before the first Load, so a bad blob loads nothing.
 */
import { DBusProxy } from '../generated/org.freedesktop.DBus.js';
import { VMState1Proxy } from '../generated/org.qemu.VMState1.js';
import type { CallOptions, Connection } from '../runtime/index.js';
import {
  checkId,
  compareIds,
  decodeBlob,
  encodeBlob,
  MAX_DATA_BYTES,
  type VMStateEntry,
} from './blob.js';
import { describeHelper, VMStateError } from './errors.js';
import { callFailure } from './failure.js';
import { VMSTATE_BUS_NAME, VMSTATE_PATH } from './helper.js';
import { mapBounded } from './pool.js';

/** A helper found on the bus. */
export interface HelperInfo {
  readonly id: string;
  /** Its unique connection name (`:1.42`); calls go there, not to the shared name. */
  readonly busName: string;
}

/** Defaults of a {@link VMStateMigrator}, overridable per call. */
export interface MigratorOptions {
  /** Per-call timeout in ms (Id read, Save, Load). Default 25 000, QEMU's (GDBus's) default. */
  readonly timeoutMs?: number;
  /** Most calls in flight at once. Default 16. */
  readonly concurrency?: number;
}

/** Options of listing, saving and checking: which helpers take part. */
export interface ListOptions extends MigratorOptions {
  /**
   * QEMU's `id-list`: helpers whose Id is not listed are skipped, and every listed Id must be
   * present. Default: every helper on the bus.
   */
  readonly idList?: readonly string[];
}

/** Options of {@link VMStateMigrator.load}. */
export interface LoadOptions extends ListOptions {
  /**
   * Save every target helper's state before loading, and if any Load fails, Load that state
   * back into the helpers already loaded. Default false: QEMU has no such step, and a helper
   * that cannot Save before its Load (waiting for an incoming migration with no state yet)
   * makes the load fail up front.
   */
  readonly rollback?: boolean;
}

/** What happened to one helper during a save or load. */
export interface HelperReport extends HelperInfo {
  readonly bytes: number;
  /** Duration of its Save or Load call, ms. */
  readonly ms: number;
}

/** The defaults {@link MigratorOptions} fall back to. */
export const MIGRATOR_DEFAULTS = { timeoutMs: 25_000, concurrency: 16 } as const;

/**
 * QEMU's side of dbus-vmstate, for a Node process: finds the helpers on a VM's bus, saves
 * their state into one blob (QEMU's format) and loads a blob back, with every helper's
 * answer checked and every failure naming the helper.
 *
 * @example
 * ```ts
 * const m = new VMStateMigrator(await connect(bus.address), { concurrency: 4 });
 * const blob = await m.save({ idList: ['idA', 'idB'] });
 * await m.load(blob, { rollback: true });
 * ```
 */
export class VMStateMigrator {
  private readonly dbus: DBusProxy;
  private readonly defaults: Required<MigratorOptions>;

  constructor(
    readonly connection: Connection,
    options: MigratorOptions = {},
  ) {
    this.dbus = new DBusProxy(connection, 'org.freedesktop.DBus', '/org/freedesktop/DBus');
    this.defaults = { ...MIGRATOR_DEFAULTS, ...options };
  }

  /** Helpers on the bus (filtered by `idList`), sorted by Id, checked as QEMU checks them. */
  async listHelpers(options: ListOptions = {}): Promise<HelperInfo[]> {
    const { timeoutMs, concurrency } = { ...this.defaults, ...options };
    // An Id no helper may have can never be found: say so, rather than "missing".
    for (const id of options.idList ?? []) {
      const checked = checkId(id);
      if ('reason' in checked) {
        throw new VMStateError(
          'invalid-id',
          `VMState Id ${JSON.stringify(id)} in the id list ${checked.reason}`,
          { helperId: id },
        );
      }
    }
    const call: CallOptions = { timeoutMs, noAutoStart: true };
    const owners = await this.dbus
      .listQueuedOwners(VMSTATE_BUS_NAME, call)
      .catch((err: unknown) => {
        // NameHasNoOwner: nobody queued for the name, i.e. no helpers.
        if (isNameHasNoOwner(err)) return [] as string[];
        throw err;
      });
    const found = await mapBounded(owners, concurrency, async (busName) => {
      const proxy = new VMState1Proxy(this.connection, busName, VMSTATE_PATH);
      const started = performance.now();
      try {
        return { busName, id: await proxy.get('id', call) };
      } catch (err) {
        throw callFailure(err, 'read Id', undefined, busName, timeoutMs, started, 'no-id');
      }
    });
    const wanted = options.idList === undefined ? undefined : new Set(options.idList);
    const helpers = new Map<string, HelperInfo>();
    for (const h of found) {
      if (wanted !== undefined && !wanted.has(h.id)) continue;
      const checked = checkId(h.id);
      if ('reason' in checked) {
        throw new VMStateError(
          'invalid-id',
          `${describeHelper(h.id, h.busName)}: VMState Id ${JSON.stringify(h.id)} is invalid: it ${checked.reason}`,
          { helperId: h.id, busName: h.busName },
        );
      }
      const other = helpers.get(h.id);
      if (other !== undefined) {
        throw new VMStateError(
          'duplicate-id',
          `Duplicated VMState Id ${JSON.stringify(h.id)}: helpers ${other.busName} and ${h.busName}`,
          { helperId: h.id, busName: h.busName },
        );
      }
      helpers.set(h.id, h);
    }
    const missing = [...(wanted ?? [])].filter((id) => !helpers.has(id));
    if (missing.length > 0) {
      throw new VMStateError(
        'missing-id',
        `Required VMState Id are missing: ${missing.map((id) => JSON.stringify(id)).join(', ')}`,
        missing.length === 1 ? { helperId: missing[0]! } : {},
      );
    }
    return [...helpers.values()].sort((a, b) => compareIds(a.id, b.id));
  }

  /** Saves every (listed) helper's state into one blob, sorted by Id. */
  async save(options: ListOptions = {}): Promise<Buffer> {
    return (await this.saveWithReport(options)).blob;
  }

  /** {@link save}, plus each helper's size and Save duration. */
  async saveWithReport(
    options: ListOptions = {},
  ): Promise<{ blob: Buffer; helpers: HelperReport[] }> {
    const { timeoutMs, concurrency } = { ...this.defaults, ...options };
    const helpers = await this.listHelpers(options);
    const call: CallOptions = { timeoutMs, noAutoStart: true };
    const reports = await mapBounded(helpers, concurrency, async (h) => {
      const proxy = new VMState1Proxy(this.connection, h.busName, VMSTATE_PATH);
      const started = performance.now();
      let data: Buffer;
      try {
        data = await proxy.save(call);
      } catch (err) {
        throw callFailure(err, 'Save', h.id, h.busName, timeoutMs, started);
      }
      if (data.length > MAX_DATA_BYTES) {
        throw new VMStateError(
          'too-large',
          `${describeHelper(h.id, h.busName)}: Save returned ${data.length} bytes (at most ${MAX_DATA_BYTES})`,
          { helperId: h.id, busName: h.busName },
        );
      }
      return { ...h, data, bytes: data.length, ms: performance.now() - started };
    });
    const blob = encodeBlob(reports.map(({ id, data }) => ({ id, data })));
    return { blob, helpers: reports.map(({ data: _data, ...r }) => r) };
  }

  /**
   * Checks a blob against the helpers on the bus without loading anything: the blob decodes
   * (lengths, Ids, sizes, no duplicates, only zero padding after the entries) and every
   * entry has a helper. Returns each entry with its helper.
   */
  async checkBlob(
    blob: Uint8Array,
    options: ListOptions = {},
  ): Promise<{ entry: VMStateEntry; helper: HelperInfo }[]> {
    const entries = decodeBlob(blob);
    const helpers = new Map((await this.listHelpers(options)).map((h) => [h.id, h]));
    const unknown = entries.filter((e) => !helpers.has(e.id)).map((e) => e.id);
    if (unknown.length > 0) {
      throw new VMStateError(
        'unknown-id',
        `blob entries without a helper on this bus: ${unknown.map((id) => JSON.stringify(id)).join(', ')}` +
          (options.idList === undefined ? '' : ' (or not in the id list)'),
        unknown.length === 1 ? { helperId: unknown[0]! } : {},
      );
    }
    return entries.map((entry) => ({ entry, helper: helpers.get(entry.id)! }));
  }

  /**
   * Loads a blob: {@link checkBlob} first, so a bad blob loads nothing; then Load on every
   * helper concurrently. A helper whose Load fails fails the whole load, naming it. D-Bus has
   * no transaction: without `rollback`, helpers whose Load had already succeeded keep their
   * new state; with it, they get their previous state back.
   */
  async load(blob: Uint8Array, options: LoadOptions = {}): Promise<HelperReport[]> {
    const { timeoutMs, concurrency } = { ...this.defaults, ...options };
    const plan = await this.checkBlob(blob, options);
    const call: CallOptions = { timeoutMs, noAutoStart: true };
    const proxy = (h: HelperInfo) => new VMState1Proxy(this.connection, h.busName, VMSTATE_PATH);
    const snapshots = new Map<string, Buffer>();
    if (options.rollback) {
      await mapBounded(plan, concurrency, async ({ helper }) => {
        const started = performance.now();
        try {
          snapshots.set(helper.id, await proxy(helper).save(call));
        } catch (err) {
          throw callFailure(
            err,
            'Save (rollback snapshot)',
            helper.id,
            helper.busName,
            timeoutMs,
            started,
          );
        }
      });
    }
    const loaded: HelperInfo[] = [];
    try {
      return await mapBounded(
        plan,
        concurrency,
        async ({ entry, helper }) => {
          const started = performance.now();
          try {
            await proxy(helper).load(entry.data, call);
          } catch (err) {
            throw callFailure(err, 'Load', helper.id, helper.busName, timeoutMs, started);
          }
          return { ...helper, bytes: entry.data.length, ms: performance.now() - started };
        },
        (r) => loaded.push(r),
      );
    } catch (err) {
      if (!options.rollback || !(err instanceof VMStateError)) throw err;
      throw await this.rollBack(err, loaded, snapshots, call, concurrency);
    }
  }

  private async rollBack(
    err: VMStateError,
    loaded: readonly HelperInfo[],
    snapshots: ReadonlyMap<string, Buffer>,
    call: CallOptions,
    concurrency: number,
  ): Promise<VMStateError> {
    const failed: string[] = [];
    await mapBounded(loaded, concurrency, async (h) => {
      try {
        await new VMState1Proxy(this.connection, h.busName, VMSTATE_PATH).load(
          snapshots.get(h.id)!,
          call,
        );
      } catch {
        failed.push(h.id);
      }
    });
    const names = (ids: readonly string[]) => ids.map((id) => JSON.stringify(id)).join(', ');
    const restored = loaded.map((h) => h.id).filter((id) => !failed.includes(id));
    let note =
      restored.length > 0 ? `; rolled back ${names(restored)}` : '; no other helper was loaded';
    if (failed.length > 0) note += `; rollback FAILED for ${names(failed)}`;
    return new VMStateError(err.code, err.message + note, {
      ...(err.helperId === undefined ? {} : { helperId: err.helperId }),
      ...(err.busName === undefined ? {} : { busName: err.busName }),
      cause: err,
    });
  }
}

function isNameHasNoOwner(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    (err as { type?: unknown }).type === 'org.freedesktop.DBus.Error.NameHasNoOwner'
  );
}
