/**
 * Errors the runtime raises. {@link DBusError} is a D-Bus error reply (or a local condition
 * reported with a D-Bus error name, such as a call timeout); {@link ValidationError} is a
 * value refused locally before anything was sent, or a reply refused after it arrived.
 */

/** Well-known error names (D-Bus specification, libdbus `DBUS_ERROR_*`). */
export const ErrorNames = {
  Failed: 'org.freedesktop.DBus.Error.Failed',
  NoReply: 'org.freedesktop.DBus.Error.NoReply',
  Disconnected: 'org.freedesktop.DBus.Error.Disconnected',
  InvalidArgs: 'org.freedesktop.DBus.Error.InvalidArgs',
  InvalidSignature: 'org.freedesktop.DBus.Error.InvalidSignature',
  UnknownMethod: 'org.freedesktop.DBus.Error.UnknownMethod',
  UnknownInterface: 'org.freedesktop.DBus.Error.UnknownInterface',
  UnknownObject: 'org.freedesktop.DBus.Error.UnknownObject',
  UnknownProperty: 'org.freedesktop.DBus.Error.UnknownProperty',
  PropertyReadOnly: 'org.freedesktop.DBus.Error.PropertyReadOnly',
  AccessDenied: 'org.freedesktop.DBus.Error.AccessDenied',
  AuthFailed: 'org.freedesktop.DBus.Error.AuthFailed',
  BadAddress: 'org.freedesktop.DBus.Error.BadAddress',
  NoServer: 'org.freedesktop.DBus.Error.NoServer',
  NotSupported: 'org.freedesktop.DBus.Error.NotSupported',
  LimitsExceeded: 'org.freedesktop.DBus.Error.LimitsExceeded',
  ServiceUnknown: 'org.freedesktop.DBus.Error.ServiceUnknown',
  NameHasNoOwner: 'org.freedesktop.DBus.Error.NameHasNoOwner',
  MatchRuleNotFound: 'org.freedesktop.DBus.Error.MatchRuleNotFound',
  InteractiveAuthorizationRequired: 'org.freedesktop.DBus.Error.InteractiveAuthorizationRequired',
  InconsistentMessage: 'org.freedesktop.DBus.Error.InconsistentMessage',
  FileNotFound: 'org.freedesktop.DBus.Error.FileNotFound',
} as const;
/** One of the standard error names in {@link ErrorNames}. */
export type ErrorName = (typeof ErrorNames)[keyof typeof ErrorNames];

/**
 * A D-Bus error: `type` is the error name, `text` the human-readable message (the error
 * reply's first string argument, or '' when there is none).
 *
 * A handler that throws a `DBusError` sends exactly that error to the caller.
 */
export class DBusError extends Error {
  override readonly name: string = 'DBusError';
  constructor(
    readonly type: string,
    readonly text: string = '',
  ) {
    super(text === '' ? type : `${type}: ${text}`);
  }
}

/**
 * Unix file descriptors (`h`), peer-to-peer connections on an fd and `unix:abstract=`
 * addresses on Node 20 need the native module (native/fdpass.c), which was not built or
 * does not load; or the connection's peer did not agree to pass fds. Thrown before
 * anything is sent.
 */
export class UnixFdUnsupportedError extends DBusError {
  override readonly name = 'UnixFdUnsupportedError';
  constructor(what: string, why?: string) {
    super(
      ErrorNames.NotSupported,
      why === 'peer'
        ? `${what}: the peer did not agree to pass unix file descriptors (NEGOTIATE_UNIX_FD)`
        : `${what}: unix file descriptors need the native module of dbus-codegen-ts, which is not built` +
            ` (install a C toolchain: gcc, make, python3; then run "npm rebuild dbus-codegen-ts"` +
            ` or "npm run build:native" in the package)${why ? `: ${why}` : ''}`,
    );
  }
}

/** Where a refused value was going: a call's argument (or property/signal value) or a reply. */
export type ValidationDirection = 'argument' | 'reply' | 'property' | 'signal';

/**
 * A value that does not fit its D-Bus type. `argument` is the argument's name, `valuePath`
 * the path from it to the offending value (`mimes[3]`, `opts["x"].value`), `signature` the
 * type expected there. Message example:
 * `org.qemu.Display1.Clipboard.Grab: argument "mimes[3]" (s): expected string, got number`.
 */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly interfaceName: string,
    readonly member: string,
    readonly argument: string,
    readonly valuePath: string,
    readonly signature: string,
    readonly reason: string,
    readonly direction: ValidationDirection = 'argument',
  ) {
    super(`${interfaceName}.${member}: ${direction} "${valuePath}" (${signature}): ${reason}`);
  }
}
