#!/usr/bin/python3
"""Plays QEMU's side of a Display1 listener connection for the scanout bench: makes a socketpair,
starts the receiver (argv after `--`, with `{fd}` replaced by the number of its end), runs GDBus
as the authentication server on our end (like QEMU), calls Properties.GetAll as QEMU does, then
times ITERATIONS Scanout calls of WIDTHxHEIGHT x8r8g8b8 pixels (each waits for the reply, so a
call's time covers sending, the receiver's decoding and storing, and the reply). Prints one JSON
line: {"ms": [...]} (the warm-up calls excluded)."""
import json
import os
import socket
import subprocess
import sys
import time

import gi

gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

iterations, width, height = (int(a) for a in sys.argv[1:4])
receiver = sys.argv[sys.argv.index('--') + 1:]
ours, theirs = socket.socketpair()
child = subprocess.Popen([a.replace('{fd}', str(theirs.fileno())) for a in receiver], pass_fds=(theirs.fileno(),))
theirs.close()
stream = Gio.Socket.new_from_fd(ours.detach()).connection_factory_create_connection()
conn = Gio.DBusConnection.new_sync(
    stream, Gio.dbus_generate_guid(), Gio.DBusConnectionFlags.AUTHENTICATION_SERVER, None, None)
PATH = '/org/qemu/Display1/Listener'
IFACE = 'org.qemu.Display1.Listener'
conn.call_sync(None, PATH, 'org.freedesktop.DBus.Properties', 'GetAll', GLib.Variant('(s)', (IFACE,)),
               None, Gio.DBusCallFlags.NONE, 25000, None)
stride = width * 4
pixels = bytes((i * 7) & 0xff for i in range(256)) * (stride * height // 256 + 1)
data = GLib.Variant.new_from_bytes(GLib.VariantType('ay'), GLib.Bytes.new(pixels[:stride * height]), True)
args = GLib.Variant.new_tuple(GLib.Variant('u', width), GLib.Variant('u', height), GLib.Variant('u', stride),
                              GLib.Variant('u', 0x20020888), data)
times = []
for i in range(iterations + 3):
    t0 = time.perf_counter()
    conn.call_sync(None, PATH, IFACE, 'Scanout', args, None, Gio.DBusCallFlags.NONE, 25000, None)
    if i >= 3:
        times.append((time.perf_counter() - t0) * 1000)
conn.close_sync(None)
child.wait(timeout=30)
print(json.dumps({'ms': times, 'receiver_exit': child.returncode}))
