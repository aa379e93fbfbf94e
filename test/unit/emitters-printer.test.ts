import { describe, expect, it } from 'vitest';
import { printDirect, printPublic } from '../../emitters/index.js';
import { indexModule } from '../../emitters/index-module.js';
import { interfaceModule } from '../../emitters/module.js';
import { nameInterfaces } from '../../emitters/ts-names.js';
import { annotation, iface, method, property, signal, vmstate1 } from './emitters-fixtures.js';

// The fast printer skips ts-morph's re-parse of its own output; it must give the very bytes
// of the public path, or fall back to it.
describe('structure printing', () => {
  const rich = iface('org.example.Rich1', {
    methods: [method('Frob', ['a{sv} opts', 'a{us} map'], ['(ixay) result', 'v extra'])],
    signals: [signal('Changed', ['as names'])],
    properties: [
      property('Level', 'u', 'readwrite', {
        deprecated: true,
        annotations: [annotation('org.freedesktop.DBus.Deprecated', 'true')],
      }),
    ],
  });
  const interfaces = [vmstate1, rich];
  const names = nameInterfaces(interfaces);

  it('is available with the installed ts-morph', () => {
    expect(printDirect(['const x = 1;'])).toBe('const x = 1;\n');
  });

  for (const i of interfaces) {
    it(`prints ${i.name} exactly as a ts-morph source file would`, () => {
      const statements = interfaceModule(i, names.get(i.name)!);
      expect(printDirect(statements)).toBe(printPublic('x.ts', statements));
    });
  }

  it('prints the index module exactly as a ts-morph source file would', () => {
    const statements = indexModule([
      { module: 'org.qemu.VMState1', prefix: 'VMState1' },
      { module: 'org.example.Rich1', prefix: 'Rich1' },
      // one namespace export: both modules export Device1Proxy
      { module: 'org.a.Device1', prefix: 'Device1' },
      { module: 'org.b.Device1', prefix: 'Device1' },
    ]);
    expect(printDirect(statements)).toBe(printPublic('index.ts', statements));
  });
});
