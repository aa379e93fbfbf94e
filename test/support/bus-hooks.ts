/** Vitest hooks around test/support/bus.ts, for files that share one private bus. */
import { afterAll, beforeAll } from 'vitest';
import type { Connection } from '../../runtime/connection.js';
import { startTestBus, type TestBus } from './bus.js';

/** A private bus and its first connection (`server`), as the tests of one file see them. */
export interface FileBus {
  readonly tb: TestBus;
  readonly server: Connection;
}

/**
 * Starts a private bus with one connection before the file's first test and stops both (and
 * every connection made through `tb`) after its last. Read the fields inside tests only.
 */
export function busForFile(): FileBus {
  const shared = {} as { tb: TestBus; server: Connection };
  beforeAll(async () => {
    shared.tb = await startTestBus();
    shared.server = await shared.tb.connect();
  });
  afterAll(async () => {
    await shared.tb?.stop();
  });
  return shared;
}
