#!/usr/bin/python3
"""The migrator's floor (issue 13): what our VMStateMigrator.save() does, done by GDBus (C
underneath PyGObject): ListQueuedOwners for org.qemu.VMState1, the Id of each helper, then
every Save concurrently, the replies' bytes kept in C (GBytes) and joined once.
Usage: gdbus-vmstate-saver.py ADDRESS. Prints `ready`; then for each `save` line on stdin
prints `saved <helpers> <bytes> <ms>`.
"""
import sys
import time

from gi.repository import Gio, GLib

address = sys.argv[1]
conn = Gio.DBusConnection.new_for_address_sync(
    address,
    Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
    None, None)
loop = GLib.MainLoop()
IFACE = "org.qemu.VMState1"


def call(dest, path, iface, method, params, reply_type, done):
    conn.call(dest, path, iface, method, params, GLib.VariantType.new(reply_type),
              Gio.DBusCallFlags.NO_AUTO_START, 25000, None,
              lambda c, res: done(c.call_finish(res)))


def save_all(started):
    state = {"pending": 0, "ids": {}, "data": {}}

    def on_saved(name, reply):
        state["data"][name] = reply.get_child_value(0).get_data_as_bytes()
        state["pending"] -= 1
        if state["pending"] == 0:
            blob = b"".join(state["data"][n].get_data() for n in sorted(state["data"]))
            ms = (time.perf_counter() - started) * 1000
            print("saved %d %d %.3f" % (len(state["data"]), len(blob), ms), flush=True)

    def on_id(name, reply):
        state["ids"][name] = reply.unpack()[0]
        if len(state["ids"]) == len(state["names"]):
            state["pending"] = len(state["names"])
            for n in state["names"]:
                call(n, "/org/qemu/VMState1", IFACE, "Save", None, "(ay)",
                     lambda r, n=n: on_saved(n, r))

    def on_owners(reply):
        state["names"] = reply.unpack()[0]
        for n in state["names"]:
            call(n, "/org/qemu/VMState1", "org.freedesktop.DBus.Properties", "Get",
                 GLib.Variant("(ss)", (IFACE, "Id")), "(v)", lambda r, n=n: on_id(n, r))

    call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
         "ListQueuedOwners", GLib.Variant("(s)", (IFACE,)), "(as)", on_owners)


def on_stdin(channel, condition):
    line = sys.stdin.readline()
    if line == "":
        loop.quit()
        return False
    if line.strip() == "save":
        save_all(time.perf_counter())
    return True


GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                  GLib.IOCondition.IN | GLib.IOCondition.HUP, on_stdin)
print("ready", flush=True)
loop.run()
