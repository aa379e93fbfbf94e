/** Atomic state-file writes (vmstate/files.ts): the replaced file's mode is kept. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../vmstate/files.js';

describe('writeFileAtomic', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the mode of the file it replaces; a new file is 0600', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vmstate-atomic-'));
    const file = join(dir, 'state');
    writeFileSync(file, 'old');
    await chmod(file, 0o640);
    await writeFileAtomic(file, Buffer.from('new'));
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o7777).toBe(0o640);
    const fresh = join(dir, 'fresh');
    await writeFileAtomic(fresh, Buffer.from('x'));
    expect(statSync(fresh).mode & 0o7777).toBe(0o600);
  });
});
