import { InputError, type SourcePos } from '../../dts/model/SourcePos.ts';

/** Which file an image came from, and which board element named it, for error messages. */
export interface ImageSource {
  /** Path of the image file as the user gave it (resolved). */
  readonly path: string;
  /** Position of the `<firmware>` element that named the file, if any. */
  readonly pos?: SourcePos;
}

/** An InputError that says which image file is wrong and how: "board.xml:3:5: error: fw.elf: …". */
export function imageError(source: ImageSource, message: string): InputError {
  return InputError.at(source.pos, `${source.path}: ${message}`);
}

/** `0x40100000` — addresses in messages are always hex. */
export function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

/** "0x40100000-0x40100fff": an inclusive byte range, as readelf and the manuals write them. */
export function hexRange(start: number, size: number): string {
  return size > 0 ? `${hex(start)}-${hex(start + size - 1)}` : `${hex(start)} (empty)`;
}
