/**
 * runtime/supports.ts without a bus: what an Introspect reply is read as (peer data: bounded,
 * no entity expansion), and how `isSupported` matches a descriptor's members by TypeScript or
 * wire name and generated signature. The live QEMU test is test/interop/qemu-display1-drift.
 */
import { describe, expect, it } from 'vitest';
import { VMInterface } from '../../generated/org.qemu.Display1.VM.js';
import { VMState1Interface } from '../../generated/org.qemu.VMState1.js';
import { isSupported, MAX_INTROSPECTION_BYTES, servedMembers } from '../../runtime/supports.js';

const REPLY = `<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">
<node>
  <interface name="org.qemu.VMState1">
    <method name="Load"><arg name="data" type="ay" direction="in"/></method>
    <method name="Save"><arg name="data" type="a(say)" direction="out"/></method>
    <property name="Id" type="s" access="read"/>
  </interface>
  <interface name="org.qemu.Display1.VM">
    <property name="Name" type="s" access="read"/>
  </interface>
  <node name="child"><interface name="org.example.Child"/></node>
</node>`;

describe('supports', () => {
  const served = servedMembers(REPLY);

  it('reads interfaces of the object itself, not of its children', () => {
    expect([...served.keys()]).toEqual(['org.qemu.VMState1', 'org.qemu.Display1.VM']);
  });

  it.each([
    [undefined, true],
    ['load', true],
    ['Load', true],
    ['id', true],
    ['save', false], // served with another out signature
  ])('VMState1 %s -> %s', (member, answer) => {
    expect(isSupported(VMState1Interface, served, member)).toBe(answer);
  });

  it('a member the service lacks, an interface it lacks, a typo', () => {
    expect(isSupported(VMInterface, served, 'name')).toBe(true);
    expect(isSupported(VMInterface, served, 'interfaces')).toBe(false);
    expect(isSupported(VMState1Interface, new Map(), 'load')).toBe(false);
    expect(() => isSupported(VMInterface, served, 'nmae')).toThrow(/has no member nmae/);
  });

  it('refuses oversized replies and does not expand entities', () => {
    expect(() => servedMembers(' '.repeat(MAX_INTROSPECTION_BYTES + 1))).toThrow(RangeError);
    const xml = `<!DOCTYPE node [<!ENTITY x "org.evil.Thing">]><node><interface name="&x;"/></node>`;
    expect([...servedMembers(xml).keys()]).toEqual(['&x;']);
  });
});
