/**
 * The text encoding of a till's export, told from its bytes without reading the whole file: a BOM says
 * it; otherwise bytes that are not valid UTF-8 mean windows-1252 (Latin-1 exports of French tills);
 * a `charset=` the client declared wins. Also tells a binary file (an image, a workbook) from a CSV.
 */
import { Transform } from 'node:stream';
import { AppError } from '../errors.ts';

/** A charset name as TextDecoder knows it, or an error naming the charset. */
export function decoderLabel(charset: string): string {
  const label = charset.trim().replace(/^["']|["']$/g, '');
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw new AppError('unsupported_media_type', `charset "${label.slice(0, 40)}" is not supported`);
  }
}

/** The `charset=` parameter of a Content-Type, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const m = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType ?? '');
  return m?.[2];
}

/** Watches the bytes of a file as they pass: BOM, UTF-8 validity and the first bytes (for a sniff). */
export class EncodingProbe {
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private validUtf8 = true;
  private head = Buffer.alloc(0);

  push(chunk: Buffer): void {
    if (this.head.length < 4096)
      this.head = Buffer.concat([this.head, chunk.subarray(0, 4096 - this.head.length)]);
    if (!this.validUtf8) return;
    try {
      this.utf8.decode(chunk, { stream: true });
    } catch {
      this.validUtf8 = false;
    }
  }

  /** The encoding to decode the file with, once every byte went through push. */
  encoding(declared?: string): string {
    if (this.validUtf8) {
      try {
        this.utf8.decode(); // an incomplete sequence at the very end
      } catch {
        this.validUtf8 = false;
      }
    }
    if (declared) return decoderLabel(declared);
    const h = this.head;
    if (h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf) return 'utf-8';
    if (h[0] === 0xff && h[1] === 0xfe) return 'utf-16le';
    if (h[0] === 0xfe && h[1] === 0xff) return 'utf-16be';
    return this.validUtf8 ? 'utf-8' : 'windows-1252';
  }

  /** Why these bytes are no CSV text (a known binary format, or mostly control bytes); null if text. */
  binaryReason(): string | null {
    const h = this.head;
    const starts = (...bytes: number[]) => bytes.every((b, i) => h[i] === b);
    if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) return null; // UTF-16 text
    if (starts(0x89, 0x50, 0x4e, 0x47)) return 'it is a PNG image';
    if (starts(0xff, 0xd8, 0xff)) return 'it is a JPEG image';
    if (starts(0x47, 0x49, 0x46, 0x38)) return 'it is a GIF image';
    if (starts(0x25, 0x50, 0x44, 0x46)) return 'it is a PDF document';
    if (starts(0x50, 0x4b, 0x03, 0x04)) return 'it is a ZIP archive or an Excel workbook: export it as CSV';
    if (starts(0xd0, 0xcf, 0x11, 0xe0)) return 'it is an Office document (.xls): export it as CSV';
    if (starts(0x1f, 0x8b)) return 'it is a gzip archive';
    let control = 0;
    for (const b of h) if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
    return h.length > 0 && control / h.length > 0.1 ? 'it holds binary data, not text' : null;
  }
}

/** Bytes in, text out, in the given encoding (a character split across chunks is kept whole). */
export function decodeStream(encoding: string): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(chunk: Buffer, _enc, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      const rest = decoder.decode();
      done(null, rest === '' ? undefined : rest);
    },
  });
}

/** A C0 control character (except tab, CR and LF) or DEL: PostgreSQL refuses NUL, none belongs in a till. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
