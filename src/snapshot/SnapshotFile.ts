import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { decodeState, encodeState, StateFormatError, type StateValue } from './StateCodec.ts';

/**
 * The snapshot file: a fixed header naming the board it was taken on, then
 * the compressed state. All integers little-endian.
 *
 *   0   8 bytes  magic "TSKVMSNP"
 *   8   u32      format version (SNAPSHOT_FORMAT_VERSION)
 *   12  32 bytes SHA-256 of the board (BoardIdentity.hash)
 *   44  u32      length B of the board's description (UTF-8)
 *   48  B bytes  the description ("virt-arm (virt-arm.xml, firmware timer.elf)")
 *   …   u32      length P of the payload
 *   …   32 bytes SHA-256 of the payload
 *   …   P bytes  the payload: the state (StateCodec) compressed with zlib deflate
 */
export const SNAPSHOT_MAGIC = 'TSKVMSNP';
export const SNAPSHOT_FORMAT_VERSION = 1;

/** Which board a snapshot belongs to. */
export interface BoardIdentity {
  /** SHA-256 (hex) of everything that makes the board: tree, firmware, guests. */
  readonly hash: string;
  /** For people: board name, file and firmware. */
  readonly description: string;
}

/** A snapshot that cannot be used: not a snapshot, truncated, corrupt, another version, another board. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

const MAGIC = new TextEncoder().encode(SNAPSHOT_MAGIC);

export function writeSnapshot(board: BoardIdentity, state: StateValue): Uint8Array {
  // Level 1: most of the gain for a fifth of the time (RAM pages are code and data; zero pages are already gone).
  const payload = deflateSync(encodeState(state), { level: 1 });
  const description = new TextEncoder().encode(board.description);
  const out = new Uint8Array(48 + description.length + 4 + 32 + payload.length);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, SNAPSHOT_FORMAT_VERSION, true);
  out.set(Buffer.from(board.hash, 'hex'), 12);
  view.setUint32(44, description.length, true);
  out.set(description, 48);
  let at = 48 + description.length;
  view.setUint32(at, payload.length, true);
  out.set(createHash('sha256').update(payload).digest(), at + 4);
  out.set(payload, at + 36);
  return out;
}

/** The header of a snapshot, checked for magic, version and length; the payload is checked by `readSnapshotState`. */
export interface SnapshotHeader {
  readonly board: BoardIdentity;
  readonly payload: Uint8Array;
  readonly payloadHash: Uint8Array;
}

export function readSnapshotHeader(bytes: Uint8Array, what: string): SnapshotHeader {
  if (bytes.length < 8 || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== SNAPSHOT_MAGIC) {
    throw new SnapshotError(`${what} is not a tskvm snapshot (it does not start with "${SNAPSHOT_MAGIC}")`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const truncated = () => new SnapshotError(`${what} is truncated (${bytes.length} bytes): the snapshot is incomplete`);
  if (bytes.length < 48) throw truncated();
  const version = view.getUint32(8, true);
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    throw new SnapshotError(`${what} is a snapshot in format version ${version}; this tskvm reads version ${SNAPSHOT_FORMAT_VERSION}`);
  }
  const hash = Buffer.from(bytes.subarray(12, 44)).toString('hex');
  const descriptionLength = view.getUint32(44, true);
  if (48 + descriptionLength + 36 > bytes.length) throw truncated();
  const description = Buffer.from(bytes.subarray(48, 48 + descriptionLength)).toString('utf8');
  const at = 48 + descriptionLength;
  const payloadLength = view.getUint32(at, true);
  const payloadHash = bytes.subarray(at + 4, at + 36);
  const end = at + 36 + payloadLength;
  if (end > bytes.length) throw truncated();
  if (end < bytes.length) throw new SnapshotError(`${what} has ${bytes.length - end} bytes after the end of the snapshot: it is corrupt`);
  return { board: { hash, description }, payload: bytes.subarray(at + 36, end), payloadHash };
}

/** Check that the snapshot was taken on `board`, then verify and decode its state. */
export function readSnapshotState(header: SnapshotHeader, board: BoardIdentity, what: string): StateValue {
  if (header.board.hash !== board.hash) {
    throw new SnapshotError(
      `${what} was taken on board ${header.board.description} (board hash ${header.board.hash.slice(0, 16)}…), ` +
        `not on ${board.description} (board hash ${board.hash.slice(0, 16)}…): a snapshot restores only into the board, firmware and guests it was taken on`,
    );
  }
  const digest = createHash('sha256').update(header.payload).digest();
  if (!digest.equals(Buffer.from(header.payloadHash))) throw new SnapshotError(`${what} is corrupt: its contents do not match their checksum`);
  try {
    return decodeState(new Uint8Array(inflateSync(header.payload)));
  } catch (e) {
    const why = e instanceof StateFormatError ? e.message : 'it does not decompress';
    throw new SnapshotError(`${what} is corrupt: ${why}`);
  }
}
