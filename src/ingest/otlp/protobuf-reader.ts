/**
 * A bounded reader of the protobuf wire format (docs/opentelemetry.md ("Limits")), just enough to read OTLP:
 * varints of at most 10 bytes, fixed 32- and 64-bit values, length-delimited fields that never reach past
 * their message, and unknown fields skipped. Every malformed input is a ProtobufError naming the byte
 * offset; nothing is allocated beyond views of the input and the strings read.
 */

/** Why the bytes are not a well-formed message; `offset` is where reading stopped. */
export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Wire types of the protobuf encoding. */
export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads one message (or a length-delimited part of one): `next()` gives each field's number and wire type,
 * then exactly one of the read methods (or `skip`) consumes its value.
 * @example
 * const reader = new ProtobufReader(bytes);
 * while (reader.next()) if (reader.field === 1 && reader.wire === WIRE.bytes) name = reader.string(); else reader.skip();
 */
export class ProtobufReader {
  /** The input as a Buffer view (no copy), for its fast hex and latin1 slices. */
  private readonly buf: Buffer;
  private pos: number;
  private end: number;
  /** The number of the field `next()` read. */
  field = 0;
  /** The wire type of the field `next()` read. */
  wire = 0;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
  }

  /** Offset of the next byte to read in the whole input. */
  get offset(): number {
    return this.pos;
  }

  /** Read the next field's tag; false at the end of the message (or of the embedded message entered). */
  next(): boolean {
    if (this.pos >= this.end) return false;
    const tag = this.varintNumber();
    this.field = Math.floor(tag / 8);
    this.wire = tag % 8;
    if (this.field === 0) throw new ProtobufError('field number 0 is not allowed', this.pos);
    if (this.wire === 3 || this.wire === 4)
      throw new ProtobufError(`field ${this.field}: groups (wire types 3 and 4) are not supported`, this.pos);
    if (this.wire > 5) throw new ProtobufError(`field ${this.field}: unknown wire type ${this.wire}`, this.pos);
    return true;
  }

  /** Refuse the current field unless its wire type is `wire` (a known field sent as another type is malformed). */
  expect(wire: number, what: string): void {
    if (this.wire !== wire) throw new ProtobufError(`${what} (field ${this.field}): unexpected wire type ${this.wire}`, this.pos);
  }

  /** A varint as an unsigned 64-bit integer. */
  varint(): bigint {
    const start = this.pos;
    // Up to 7 bytes (49 bits) a number is exact: the common case, without a BigInt per byte.
    let small = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      const byte = this.byte();
      small += (byte & 0x7f) * scale;
      if (byte < 0x80) return BigInt(small);
      scale *= 128;
    }
    this.pos = start;
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.byte();
      result |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if (byte < 0x80) return BigInt.asUintN(64, result);
    }
    throw new ProtobufError('a varint longer than 10 bytes', this.pos);
  }

  /** A varint read as a number: exact up to 2^53, for tags, lengths, enums and counts. */
  varintNumber(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const byte = this.byte();
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new ProtobufError('a varint longer than 10 bytes', this.pos);
  }

  /** A fixed64 (little-endian) as an unsigned 64-bit integer. */
  fixed64(): bigint {
    const low = this.fixed32();
    const high = this.fixed32();
    return (BigInt(high) << 32n) | BigInt(low);
  }

  /** A fixed32 (little-endian), unsigned. */
  fixed32(): number {
    this.need(4);
    const value = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return value;
  }

  /** A double (fixed64, IEEE 754 little-endian). */
  double(): number {
    this.need(8);
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** A length-delimited field as hex digits (ids). */
  hex(): string {
    const length = this.length();
    const text = this.buf.toString('hex', this.pos, this.pos + length);
    this.pos += length;
    return text;
  }

  /** A length-delimited field as strict UTF-8 text (proto3 strings must be UTF-8). */
  string(): string {
    const start = this.pos;
    const length = this.length();
    const from = this.pos;
    const to = from + length;
    this.pos = to;
    let ascii = true;
    for (let i = from; i < to; i++) {
      if (this.buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return this.buf.toString('latin1', from, to);
    try {
      return utf8.decode(this.buf.subarray(from, to));
    } catch {
      throw new ProtobufError('a string field is not valid UTF-8', start);
    }
  }

  /**
   * Step into the length-delimited field, an embedded message: `next()` then reads its fields until its end.
   * Returns what `leave` needs to step out again; no reader is allocated.
   * @example const outer = reader.enter(); while (reader.next()) …; reader.leave(outer);
   */
  enter(): number {
    const length = this.length();
    const outer = this.end;
    this.end = this.pos + length;
    return outer;
  }

  /** Step out of the embedded message entered (past whatever of it was not read). */
  leave(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }

  /** A reader of its own over the length-delimited field, read later; this reader moves past it. */
  message(): ProtobufReader {
    const length = this.length();
    const inner = new ProtobufReader(this.buf, this.pos, this.pos + length);
    this.pos += length;
    return inner;
  }

  /** Move past the current field's value, whatever it is. */
  skip(): void {
    switch (this.wire) {
      case WIRE.varint:
        this.varintNumber();
        return;
      case WIRE.fixed64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE.bytes: {
        // Not `this.pos += this.length()`: that reads pos before length() moves it past the length's varint.
        const length = this.length();
        this.pos += length;
        return;
      }
      default:
        this.need(4);
        this.pos += 4;
    }
  }

  /** The length of a length-delimited field, checked against what is left of its message. */
  private length(): number {
    const length = this.varintNumber();
    this.need(length);
    return length;
  }

  private byte(): number {
    if (this.pos >= this.end) throw new ProtobufError('the message ends inside a value', this.pos);
    return this.buf[this.pos++]!;
  }

  private need(length: number): void {
    if (length > this.end - this.pos) {
      throw new ProtobufError(`a value of ${length} bytes reaches past the end of its message (${this.end - this.pos} left)`, this.pos);
    }
  }
}
