#!/usr/bin/python3
"""The GDBus anchor of the scanout bench: a Display1 listener in Python on the peer-to-peer
connection over fd argv[1] (authenticating as the client, as a listener does with QEMU). Scanout
keeps the pixels as GLib.Bytes (no per-byte Python objects: the fastest way PyGObject offers)
and replies; it exits when the connection closes."""
import sys

import gi

gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

XML = '''<node><interface name="org.qemu.Display1.Listener">
<method name="Scanout"><arg type="u" direction="in"/><arg type="u" direction="in"/>
<arg type="u" direction="in"/><arg type="u" direction="in"/><arg type="ay" direction="in"/></method>
<method name="Update"><arg type="i" direction="in"/><arg type="i" direction="in"/><arg type="i" direction="in"/>
<arg type="i" direction="in"/><arg type="u" direction="in"/><arg type="u" direction="in"/>
<arg type="ay" direction="in"/></method></interface></node>'''

stream = Gio.Socket.new_from_fd(int(sys.argv[1])).connection_factory_create_connection()
conn = Gio.DBusConnection.new_sync(stream, None, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT, None, None)
frame = {}


def on_call(_conn, _sender, _path, _iface, method, params, invocation):
    if method == 'Scanout':
        frame['size'] = (params.get_child_value(0).get_uint32(), params.get_child_value(1).get_uint32())
        frame['data'] = params.get_child_value(4).get_data_as_bytes()
    invocation.return_value(None)


conn.register_object('/org/qemu/Display1/Listener', Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0],
                     on_call, None, None)
loop = GLib.MainLoop()
conn.connect('closed', lambda *_: loop.quit())
loop.run()
