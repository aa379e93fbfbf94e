// The runtime's Introspect reply lists the standard interfaces with exactly the XML the
// generator wrote for interfaces/org.freedesktop.DBus.{Peer,Introspectable,Properties}.xml.
import { describe, expect, it } from 'vitest';
import { IntrospectableInterface } from '../../generated/org.freedesktop.DBus.Introspectable.js';
import { PeerInterface } from '../../generated/org.freedesktop.DBus.Peer.js';
import { PropertiesInterface } from '../../generated/org.freedesktop.DBus.Properties.js';
import { introspectionXml } from '../../runtime/introspection.js';
import { STANDARD_INTERFACE_XML } from '../../runtime/standard-interfaces.js';

describe('standard interfaces in Introspect', () => {
  it('carry the generated descriptors’ XML, byte for byte', () => {
    expect(STANDARD_INTERFACE_XML).toEqual([
      PeerInterface.xml,
      IntrospectableInterface.xml,
      PropertiesInterface.xml,
    ]);
  });

  it('are listed for an object that exports something, not for a bare parent', () => {
    const xml = introspectionXml([], ['child']);
    for (const d of [PeerInterface, IntrospectableInterface, PropertiesInterface])
      expect(xml).toContain(`<interface name="${d.name}">`);
    expect(introspectionXml(undefined, ['child'])).not.toContain('<interface');
  });
});
