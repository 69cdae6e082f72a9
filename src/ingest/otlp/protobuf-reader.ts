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
  private pos: number;
  /** The number of the field `next()` read. */
  field = 0;
  /** The wire type of the field `next()` read. */
  wire = 0;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  /** Offset of the next byte to read in the whole input. */
  get offset(): number {
    return this.pos;
  }

  /** Read the next field's tag; false at the end of the message. */
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
    const low = BigInt(this.fixed32());
    const high = BigInt(this.fixed32());
    return (high << 32n) | low;
  }

  /** A fixed32 (little-endian), unsigned. */
  fixed32(): number {
    this.need(4);
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
  }

  /** A double (fixed64, IEEE 754 little-endian). */
  double(): number {
    this.need(8);
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8);
    this.pos += 8;
    return view.getFloat64(0, true);
  }

  /** A length-delimited field as a view of the input (not a copy). */
  bytesView(): Uint8Array {
    const length = this.varintNumber();
    this.need(length);
    const view = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }

  /** A reader over the length-delimited field, an embedded message; this reader moves past it. */
  message(): ProtobufReader {
    const length = this.varintNumber();
    this.need(length);
    const inner = new ProtobufReader(this.bytes, this.pos, this.pos + length);
    this.pos += length;
    return inner;
  }

  /** A length-delimited field as strict UTF-8 text (proto3 strings must be UTF-8). */
  string(): string {
    const start = this.pos;
    const view = this.bytesView();
    try {
      return utf8.decode(view);
    } catch {
      throw new ProtobufError('a string field is not valid UTF-8', start);
    }
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
      case WIRE.bytes:
        this.bytesView();
        return;
      default:
        this.need(4);
        this.pos += 4;
    }
  }

  private byte(): number {
    if (this.pos >= this.end) throw new ProtobufError('the message ends inside a value', this.pos);
    return this.bytes[this.pos++]!;
  }

  private need(length: number): void {
    if (length > this.end - this.pos) {
      throw new ProtobufError(`a value of ${length} bytes reaches past the end of its message (${this.end - this.pos} left)`, this.pos);
    }
  }
}
