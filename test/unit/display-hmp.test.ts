// The HMP client against a stand-in monitor on a unix socket that talks like QEMU 7.2's
// readline monitor (banner, echo with escapes, output, prompt); the real one is in
// test/interop/qemu-display-listener.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HmpError, HmpMonitor } from '../../display/hmp.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'display-hmp-'));
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A socket whose other end runs `serve`. */
async function pair(serve: (peer: Socket) => void): Promise<Socket> {
  const file = path.join(tmp, `${servers.length}.sock`);
  const server = createServer(serve);
  servers.push(server);
  await new Promise<void>((r) => server.listen(file, r));
  const s = connect(file);
  await new Promise((r) => s.once('connect', r));
  return s;
}

const BANNER = "QEMU 7.2.19 monitor - type 'help' for more information\r\n(qemu) ";

function fakeQemu(peer: Socket): void {
  peer.write(BANNER);
  let line = '';
  peer.on('data', (d) => {
    line += d.toString();
    for (let nl = line.indexOf('\n'); nl >= 0; nl = line.indexOf('\n')) {
      const cmd = line.slice(0, nl);
      line = line.slice(nl + 1);
      // readline redraws the line after every character (as QEMU 7.2 does: text, erase to
      // the end, cursor back), then the output and the prompt
      let echo = '';
      for (let k = 1; k <= cmd.length; k++)
        echo += `${k > 1 ? '\x1b[D'.repeat(k - 1) : ''}${cmd.slice(0, k)}\x1b[K`;
      peer.write(`${echo}\r\n`);
      if (cmd === 'info version') peer.write('7.2.19 (Debian 1:7.2+dfsg-7+deb12u18)\r\n');
      if (cmd === 'two') peer.write('a\r\nb\r\n');
      if (cmd === 'flood') peer.write('x'.repeat(5000));
      else peer.write('(qemu) ');
    }
  });
}

describe('HmpMonitor', () => {
  it('reads the banner, runs commands in order, strips echo and prompt', async () => {
    const mon = await HmpMonitor.open(await pair(fakeQemu));
    expect(mon.banner).toBe("QEMU 7.2.19 monitor - type 'help' for more information");
    const [v, two, none] = await Promise.all([
      mon.command('info version'),
      mon.command('two'),
      mon.command('stop'),
    ]);
    expect(v).toBe('7.2.19 (Debian 1:7.2+dfsg-7+deb12u18)');
    expect(two).toBe('a\nb');
    expect(none).toBe('');
    mon.close();
  });

  it('refuses a stream that is not a QEMU monitor, and a multi-line command', async () => {
    const s = await pair((p) => p.write('hello\r\n(qemu) '));
    await expect(HmpMonitor.open(s)).rejects.toThrow(/not a QEMU monitor banner/);
    const mon = await HmpMonitor.open(await pair(fakeQemu));
    await expect(mon.command('a\nb')).rejects.toBeInstanceOf(HmpError);
    mon.close();
  });

  it('times out without a prompt, bounds the output, and fails when the stream closes', async () => {
    await expect(HmpMonitor.open(await pair(() => {}), { timeoutMs: 100 })).rejects.toThrow(
      /no monitor prompt after the banner within 100 ms/,
    );
    const mon = await HmpMonitor.open(await pair(fakeQemu), { maxOutputBytes: 1000 });
    await expect(mon.command('flood')).rejects.toThrow(/more than 1000 bytes without a prompt/);
    const closing = await HmpMonitor.open(
      await pair((p) => {
        p.write(BANNER);
        p.on('data', () => p.end());
      }),
    );
    await expect(closing.command('info version')).rejects.toThrow(/monitor stream closed/);
    await expect(closing.command('info version')).rejects.toThrow(/closed/);
    mon.close();
  });
});
