/**
 * `dbus-codegen-ts/display`: a client of QEMU's D-Bus display (`-display dbus`). Register a
 * listener that keeps the screen ({@link registerListener}, {@link DisplayListener},
 * {@link Framebuffer}), write it as PNG ({@link encodePng}), drive the HMP monitor over a
 * dbus chardev ({@link openMonitor}), and every generated `org.qemu.Display1.*` proxy
 * (Keyboard, Mouse, Console, VM, Clipboard, Audio, ...) for input and the rest.
 */

export * from '../generated/org.qemu.Display1.Audio.js';
export * from '../generated/org.qemu.Display1.AudioInListener.js';
export * from '../generated/org.qemu.Display1.AudioOutListener.js';
export * from '../generated/org.qemu.Display1.Chardev.js';
export * from '../generated/org.qemu.Display1.Clipboard.js';
export * from '../generated/org.qemu.Display1.Console.js';
export * from '../generated/org.qemu.Display1.Keyboard.js';
export * from '../generated/org.qemu.Display1.Listener.js';
export * from '../generated/org.qemu.Display1.Listener.Unix.Map.js';
export * from '../generated/org.qemu.Display1.Listener.Unix.ScanoutDMABUF2.js';
export * from '../generated/org.qemu.Display1.Listener.Win32.D3d11.js';
export * from '../generated/org.qemu.Display1.Mouse.js';
export * from '../generated/org.qemu.Display1.MultiTouch.js';
export * from '../generated/org.qemu.Display1.VM.js';
export {
  DEFAULT_FRAMEBUFFER_LIMITS,
  Framebuffer,
  FramebufferError,
  type FramebufferErrorCode,
  type FramebufferLimits,
  type Image,
  type Rect,
} from './framebuffer.js';
export { HmpError, HmpMonitor, type HmpOptions } from './hmp.js';
export {
  type CursorState,
  DisplayListener,
  type DisplayListenerOptions,
  LISTENER_PATH,
} from './listener.js';
export {
  type PixelLayout,
  PixmanFormat,
  pixelLayout,
  pixmanFormatName,
  UnsupportedPixelFormatError,
} from './pixman.js';
export { crc32, encodePng, type PngOptions } from './png.js';
export { MAX_PPM_SIDE, PpmError, readPpm } from './ppm.js';
export {
  type DisplaySession,
  type OpenMonitorOptions,
  openMonitor,
  QEMU_BUS_NAME,
  type RegisterListenerOptions,
  registerListener,
} from './register.js';
export { NameTimeoutError, waitForName } from './wait-name.js';
