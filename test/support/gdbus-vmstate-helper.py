#!/usr/bin/python3
"""A dbus-vmstate helper written with GDBus (PyGObject): the independent anchor for our
skeleton. Usage: gdbus-vmstate-helper.py ADDRESS ID SIZE
Serves org.qemu.VMState1 on /org/qemu/VMState1 with SIZE bytes of data (a repeating
pattern), queues for the name org.qemu.VMState1, prints `ready` once it owns or queues
for the name, then `save` / `load <n>` per call. Ends on SIGTERM.
"""
import signal
import sys

from gi.repository import Gio, GLib

XML = """<node><interface name="org.qemu.VMState1">
<property name="Id" type="s" access="read"/>
<method name="Load"><arg type="ay" name="data" direction="in"/></method>
<method name="Save"><arg type="ay" name="data" direction="out"/></method>
</interface></node>"""

address, helper_id, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
pattern = (helper_id.encode() + b"\0") * (size // (len(helper_id) + 1) + 1)
state = {"data": pattern[:size]}


def on_call(conn, sender, path, iface, method, params, invocation):
    if method == "Save":
        print("save", flush=True)
        # new_from_bytes: one block copy, C speed (like QEMU's own helpers would do).
        data = GLib.Variant.new_from_bytes(GLib.VariantType.new("ay"),
                                           GLib.Bytes.new(state["data"]), True)
        invocation.return_value(GLib.Variant.new_tuple(data))
    elif method == "Load":
        data = params.get_child_value(0).get_data_as_bytes().get_data()
        state["data"] = bytes(data)
        print("load %d" % len(data), flush=True)
        invocation.return_value(None)


def on_get(conn, sender, path, iface, prop):
    return GLib.Variant("s", helper_id)


conn = Gio.DBusConnection.new_for_address_sync(
    address,
    Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
    None, None)
info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
conn.register_object("/org/qemu/VMState1", info, on_call, on_get, None)
reply = conn.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                       "RequestName", GLib.Variant("(su)", ("org.qemu.VMState1", 0)),
                       GLib.VariantType.new("(u)"), Gio.DBusCallFlags.NONE, -1, None)
print("ready", flush=True)
loop = GLib.MainLoop()
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
loop.run()
