/**
 * Unsigned LEB128 varints and length-prefixed UTF-8 strings: the primitives of the binary
 * index file. Small integers (document-id gaps, term frequencies) take one byte instead of
 * the several characters and quotes of JSON.
 */

/** A growable byte buffer written front to back. */
export class ByteWriter {
  private bytes: Buffer
  length = 0

  constructor (initialBytes = 1 << 16) {
    this.bytes = Buffer.allocUnsafe(initialBytes)
  }

  uint (value: number): void {
    this.reserve(10)
    let rest = value
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest % 0x80) | 0x80
      rest = Math.floor(rest / 0x80)
    }
    this.bytes[this.length++] = rest
  }

  /** A fixed four bytes, little-endian: for values a reader finds by position, or that varints would not shrink. */
  uint32 (value: number): void {
    this.reserve(4)
    this.bytes.writeUInt32LE(value, this.length)
    this.length += 4
  }

  string (text: string): void {
    const size = Buffer.byteLength(text, 'utf8')
    this.uint(size)
    this.reserve(size)
    this.length += this.bytes.write(text, this.length, 'utf8')
  }

  raw (data: Uint8Array): void {
    this.reserve(data.length)
    this.bytes.set(data, this.length)
    this.length += data.length
  }

  /** The bytes written so far (a view: copy it before writing more if it must be kept). */
  view (): Buffer {
    return this.bytes.subarray(0, this.length)
  }

  /** Forgets what was written, keeping the allocation. */
  reset (): void {
    this.length = 0
  }

  private reserve (size: number): void {
    if (this.length + size <= this.bytes.length) return
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + size))
    this.bytes.copy(grown, 0, 0, this.length)
    this.bytes = grown
  }
}

/** Reads what a ByteWriter wrote; throws on reading past the end (a truncated or foreign file). */
export class ByteReader {
  constructor (readonly bytes: Buffer, public position = 0, readonly end = bytes.length) {}

  get done (): boolean {
    return this.position >= this.end
  }

  uint (): number {
    let value = 0
    let scale = 1
    for (;;) {
      if (this.position >= this.end) throw new Error('unexpected end of data')
      const byte = this.bytes[this.position++] as number
      value += (byte & 0x7f) * scale
      if (byte < 0x80) return value
      scale *= 0x80
      if (scale > 2 ** 49) throw new Error('malformed number')
    }
  }

  uint32 (): number {
    const start = this.position
    this.skip(4)
    return this.bytes.readUInt32LE(start)
  }

  string (): string {
    const size = this.uint()
    const start = this.position
    this.skip(size)
    return this.bytes.toString('utf8', start, start + size)
  }

  skip (size: number): void {
    if (this.position + size > this.end) throw new Error('unexpected end of data')
    this.position += size
  }

  /** Moves past `count` varints without reading their values. */
  skipUints (count: number): void {
    let left = count
    while (left > 0) {
      if (this.position >= this.end) throw new Error('unexpected end of data')
      if ((this.bytes[this.position++] as number) < 0x80) left -= 1
    }
  }
}
