#!/usr/bin/python3
"""A bus-name owner written with GDBus (PyGObject), run under another uid by the security
tests. Usage: owner.py ADDRESS BUSNAME ID [--spy]
Serves org.qemu.VMState1 (Save returns ID's bytes, Load stores) on /org/qemu/VMState1 and
requests BUSNAME (queueing allowed). Prints one line per event, flushed:
  connect-error <text>      could not connect (exit 2)
  own-error <dbus error>    RequestName refused (exit 3)
  ready <RequestName reply>
  msg <type> <interface>.<member> -> <destination>   every message not from the bus driver
  spy-monitor|spy-match|spy-signals <result>   (--spy) eavesdropping attempts, and a plain
                                               match for every signal (delivery is policed)
Load emits PropertiesChanged (a broadcast signal).
Ends on SIGTERM or when stdin closes.
"""
import signal
import sys

from gi.repository import Gio, GLib

XML = """<node><interface name="org.qemu.VMState1">
<property name="Id" type="s" access="read"/>
<method name="Load"><arg type="ay" name="data" direction="in"/></method>
<method name="Save"><arg type="ay" name="data" direction="out"/></method>
</interface></node>"""

address, bus_name, helper_id = sys.argv[1], sys.argv[2], sys.argv[3]
spy = "--spy" in sys.argv[4:]
state = {"data": helper_id.encode()}


def say(line):
    print(line, flush=True)


def on_call(conn, sender, path, iface, method, params, invocation):
    if method == "Save":
        data = GLib.Variant.new_from_bytes(GLib.VariantType.new("ay"),
                                           GLib.Bytes.new(state["data"]), True)
        invocation.return_value(GLib.Variant.new_tuple(data))
    elif method == "Load":
        state["data"] = bytes(params.get_child_value(0).get_data_as_bytes().get_data())
        invocation.return_value(None)
        # A broadcast signal: only peers whose receive rules name our bus name get it.
        conn.emit_signal(None, "/org/qemu/VMState1", "org.freedesktop.DBus.Properties",
                         "PropertiesChanged",
                         GLib.Variant("(sa{sv}as)", ("org.qemu.VMState1",
                                                     {"Id": GLib.Variant("s", helper_id)}, [])))


def on_get(conn, sender, path, iface, prop):
    return GLib.Variant("s", helper_id)


def on_message(conn, message, incoming):
    if incoming and message.get_sender() != "org.freedesktop.DBus":
        kind = message.get_message_type().value_nick
        say("msg %s %s.%s -> %s" % (kind, message.get_interface(), message.get_member(),
                                    message.get_destination()))
    return message


def driver(conn, member, args, reply_type):
    return conn.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus" if member != "BecomeMonitor"
                          else "org.freedesktop.DBus.Monitoring",
                          member, args, GLib.VariantType.new(reply_type) if reply_type else None,
                          Gio.DBusCallFlags.NONE, 5000, None)


try:
    conn = Gio.DBusConnection.new_for_address_sync(
        address,
        Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
        | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
except GLib.Error as e:
    say("connect-error %s" % e.message)
    sys.exit(2)

conn.add_filter(on_message)
info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
conn.register_object("/org/qemu/VMState1", info, on_call, on_get, None)
try:
    reply = driver(conn, "RequestName", GLib.Variant("(su)", (bus_name, 0)), "(u)")
except GLib.Error as e:
    say("own-error %s" % Gio.DBusError.get_remote_error(e))
    sys.exit(3)
say("ready %d" % reply.unpack()[0])

if spy:
    for what, member, args in (
            ("spy-match", "AddMatch", GLib.Variant("(s)", ("eavesdrop=true",))),
            ("spy-signals", "AddMatch", GLib.Variant("(s)", ("type='signal'",))),
            ("spy-monitor", "BecomeMonitor", GLib.Variant("(asu)", ([], 0)))):
        try:
            driver(conn, member, args, None)
            say("%s ok" % what)
        except GLib.Error as e:
            say("%s %s" % (what, Gio.DBusError.get_remote_error(e)))

loop = GLib.MainLoop()
GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
GLib.io_add_watch(GLib.IOChannel.unix_new(0), GLib.PRIORITY_DEFAULT,
                  GLib.IOCondition.HUP | GLib.IOCondition.IN,
                  lambda *a: (loop.quit(), False)[1])
loop.run()
