/** `dbus-vmstate serve`: a file-backed helper that runs until SIGTERM/SIGINT. */
import { readFile } from 'node:fs/promises';
import { connect, DBusError } from '../runtime/index.js';
import { writeFileAtomic } from './files.js';
import { serveVMState, VMStateErrorNames, type VMStateHelper } from './helper.js';

export interface ServeArgs {
  readonly address: string;
  readonly id: string;
  readonly stateFile: string;
  readonly incoming: boolean;
}

export async function serve(args: ServeArgs, out: (line: string) => void): Promise<void> {
  const bus = await connect(args.address);
  let helper: VMStateHelper;
  try {
    helper = await serveVMState(bus, {
      id: args.id,
      incoming: args.incoming,
      // Save returns the file's bytes as they are; a missing file is an error, not empty state.
      // The reason goes to the migrator, the file's path does not.
      save: () =>
        readFile(args.stateFile).catch((err: NodeJS.ErrnoException) => {
          out(`Save failed: ${err.message}`);
          throw err.code === 'ENOENT'
            ? new DBusError(
                VMStateErrorNames.SaveFailed,
                `helper ${JSON.stringify(args.id)}: no state yet (the state file does not exist)`,
              )
            : err;
        }),
      load: (data) => writeFileAtomic(args.stateFile, data),
    });
  } catch (err) {
    await bus.close();
    throw err;
  }
  out(
    `serving ${JSON.stringify(args.id)} as ${bus.uniqueName} on ${args.address}` +
      ` (${helper.primaryOwner ? 'primary owner' : 'queued'})${args.incoming ? ', waiting for Load' : ''}`,
  );
  helper.incoming?.then(
    (data) =>
      out(`loaded ${JSON.stringify(args.id)}: ${data.length} bytes written to ${args.stateFile}`),
    () => {},
  );
  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGTERM', done);
      process.off('SIGINT', done);
      removeClose();
      resolve();
    };
    process.on('SIGTERM', done);
    process.on('SIGINT', done);
    // The VM's bus went away: nothing left to serve.
    const removeClose = bus.onClose((err) => {
      out(`bus connection closed${err ? `: ${err.message}` : ''}`);
      done();
    });
  });
  await helper.stop();
  await bus.close();
}
