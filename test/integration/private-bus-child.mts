/**
 * Child process for private-bus.test.ts: starts a PrivateBus, prints its pids and
 * directory as one JSON line, then either idles (to be SIGKILLed) or exits without stop().
 */
import { PrivateBus } from '../../runtime/private-bus.js';

const bus = await PrivateBus.start();
process.stdout.write(
  `${JSON.stringify({ pid: bus.pid, supervisorPid: bus.supervisorPid, dir: bus.dir })}\n`,
);
if (process.argv[2] === 'exit') process.exit(0);
setInterval(() => {}, 60_000);
