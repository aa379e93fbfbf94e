/** Shared by the vmstate benches: a private bus sized for many helpers, a timed migrator save. */
import { PrivateBus } from '../../runtime/private-bus.js';
import { decodeBlob } from '../../vmstate/blob.js';
import type { VMStateMigrator } from '../../vmstate/migrator.js';

export async function startBus(): Promise<PrivateBus> {
  // 64 helpers + QEMU + us: above the default per-user connection limit (32).
  return PrivateBus.start({
    limits: { max_connections_per_user: 256, max_completed_connections: 256 },
  });
}

/** One `save()` of `helpers` helpers, in ms; checks the blob has an entry per helper. */
export async function timedSave(m: VMStateMigrator, helpers: number): Promise<number> {
  const t0 = performance.now();
  const blob = await m.save();
  const ms = performance.now() - t0;
  if (decodeBlob(blob).length !== helpers) throw new Error('wrong entry count');
  return ms;
}
