/**
 * The checks every outgoing message passes before it is marshalled, each refusing one
 * message rather than letting the bus drop the whole connection: valid header fields, a body
 * that fits its signature, unix fds only where the connection passes them, and the connection's size limit.
 * Also the replies a connection sends to a method call, built so that they pass those checks.
 */
import { DBusError, ErrorNames, UnixFdUnsupportedError } from './errors.js';
import { badHeaderField, isErrorName } from './names.js';
import { MessageType, marshalMessage, type OutgoingMessage } from './transport/marshal.js';
import type { MessageHeader } from './transport/message.js';
import { nativeFailure } from './transport/native.js';
import { takeValidated, validateBody } from './validate.js';

/** Unix fds in one message: the spec's limit (dbus-daemon refuses more by default). */
export const MAX_MESSAGE_FDS = 253;

/**
 * The wire bytes of `msg` (fd numbers its `h` values index pushed to `fdsOut`); throws
 * (nothing is sent) when a check fails. `fds` says whether the connection passes fds:
 * `false` | 'no-native' | 'peer' tells why not.
 */
export function encodeOutgoing(
  msg: OutgoingMessage,
  maxMessageBytes: number,
  fdsOut: number[] = [],
  fds: true | 'no-native' | 'peer' = true,
): Buffer {
  const bad = badHeaderField(msg);
  if (bad !== undefined) {
    // The bus would drop the whole connection for this; refuse the one message instead.
    throw new DBusError(ErrorNames.InvalidArgs, `not sent: invalid ${bad}`);
  }
  const body = msg.body;
  if (body !== undefined && body.length > 0 && !takeValidated(body)) {
    validateBody(
      msg.interfaceName ?? '',
      msg.member ?? msg.errorName ?? '',
      msg.signature ?? '',
      body,
    );
  }
  if (fds !== true && msg.signature?.includes('h')) {
    throw new UnixFdUnsupportedError(
      `${msg.interfaceName ?? ''}.${msg.member ?? msg.errorName ?? ''}`,
      fds === 'peer' ? 'peer' : nativeFailure() || undefined,
    );
  }
  const data = marshalMessage(msg, undefined, fdsOut);
  if (fdsOut.length > MAX_MESSAGE_FDS) {
    throw new DBusError(
      ErrorNames.LimitsExceeded,
      `not sent: the message carries ${fdsOut.length} unix fds, over the limit of ${MAX_MESSAGE_FDS}`,
    );
  }
  if (data.length > maxMessageBytes) {
    throw new DBusError(
      ErrorNames.LimitsExceeded,
      `not sent: the message is ${data.length} bytes, over this connection's limit of ${maxMessageBytes}`,
    );
  }
  return data;
}

/** The METHOD_RETURN that answers `call`. */
export function methodReturn(
  call: MessageHeader,
  serial: number,
  signature: string,
  body: readonly unknown[],
): OutgoingMessage {
  return {
    type: MessageType.METHOD_RETURN,
    serial,
    replySerial: call.serial,
    destination: call.sender,
    signature,
    body,
  };
}

/**
 * The ERROR that answers `call`. An invalid error name (which the bus would punish by
 * dropping us) becomes `...Error.Failed`.
 */
export function errorReply(
  call: MessageHeader,
  serial: number,
  errorName: string,
  text: string,
): OutgoingMessage {
  if (!isErrorName(errorName)) {
    console.error(
      `dbus-codegen-ts: invalid error name ${JSON.stringify(errorName)} replaced by Failed`,
    );
    errorName = ErrorNames.Failed;
  }
  // The text is a STRING: no NUL, well-formed (a bad one would make the bus drop us).
  const safe = (text.replace(/\0/g, '\\0') as string & { toWellFormed(): string }).toWellFormed();
  return {
    type: MessageType.ERROR,
    serial,
    replySerial: call.serial,
    destination: call.sender,
    errorName,
    signature: 's',
    body: [safe],
  };
}
