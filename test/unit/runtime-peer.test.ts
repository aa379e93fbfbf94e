/** org.freedesktop.DBus.Peer.GetMachineId without a machine-id file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readMachineId } from '../../runtime/peer.js';

it('reads the first valid machine id and copes with none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mid-'));
  try {
    const good = join(dir, 'good');
    const bad = join(dir, 'bad');
    writeFileSync(good, '0123456789abcdef0123456789abcdef\n');
    writeFileSync(bad, 'not an id\n');
    expect(readMachineId([join(dir, 'missing'), bad, good])).toBe(
      '0123456789abcdef0123456789abcdef',
    );
    expect(readMachineId([join(dir, 'missing'), bad])).toBeUndefined();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
