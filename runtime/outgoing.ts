/**
 * The checks every outgoing message passes before it is marshalled, each refusing one
 * message rather than letting the bus drop the whole connection: valid header fields, a body
 * that fits its signature, no unix fds, and the connection's size limit.
 */
import { DBusError, ErrorNames, UnixFdUnsupportedError } from './errors.js';
import { badHeaderField } from './names.js';
import { marshalMessage, type OutgoingMessage } from './transport/marshal.js';
import { takeValidated, validateBody } from './validate.js';

/** The wire bytes of `msg`; throws (nothing is sent) when a check fails. */
export function encodeOutgoing(msg: OutgoingMessage, maxMessageBytes: number): Buffer {
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
  if (msg.signature?.includes('h')) {
    throw new UnixFdUnsupportedError(
      `${msg.interfaceName ?? ''}.${msg.member ?? msg.errorName ?? ''}`,
    );
  }
  const data = marshalMessage(msg);
  if (data.length > maxMessageBytes) {
    throw new DBusError(
      ErrorNames.LimitsExceeded,
      `not sent: the message is ${data.length} bytes, over this connection's limit of ${maxMessageBytes}`,
    );
  }
  return data;
}
