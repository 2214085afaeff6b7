import type { Cell, ValueSegment } from '../model/DeviceTree.ts';
import { parseNumber, tokenize, type ValueError } from '../model/PropertyValue.ts';

/**
 * The attribute form of reg, ranges and dma-ranges: a list of address and size VALUES
 * that the reader expands to cells by the cell counts in force, so that
 * `reg="0x40000000 256M"` under #address-cells = #size-cells = <2> becomes
 * <0 0x40000000 0 0x10000000>, the .dts way of writing it.
 */

/** One field of an entry: how many 32-bit cells it takes and, for messages, where that count comes from. */
export interface AddressField {
  readonly role: string;
  readonly cells: number;
  /** e.g. `#address-cells = <2> of /` */
  readonly source: string;
}

export function expandAddressValues(
  propertyName: string,
  text: string,
  fields: readonly AddressField[],
): { segments: ValueSegment[]; errors: ValueError[] } {
  const toks = tokenize(text);
  const errors: ValueError[] = [];
  if (toks.length === 0) return { segments: [], errors };
  const used = fields.filter((f) => f.cells > 0);
  const layout = fields.map((f) => `${f.role} (${f.source})`).join(', ');
  if (used.length === 0 || toks.length % used.length !== 0) {
    errors.push({
      offset: 0,
      length: text.length,
      message:
        used.length === 0
          ? `${propertyName} must be empty here: each entry takes 0 cells (${layout})`
          : `${propertyName} has ${toks.length} values, not a multiple of ${used.length} (each entry: ${layout})`,
    });
    return { segments: [], errors };
  }
  const cells: Cell[] = [];
  toks.forEach((tok, k) => {
    const field = used[k % used.length]!;
    const value = parseNumber(tok.text);
    if (value === undefined || value < 0n) {
      errors.push({
        offset: tok.offset,
        length: tok.text.length,
        message: `bad ${field.role} '${tok.text}' in ${propertyName} (expected a non-negative number: 0x…, 0b… or decimal, optional K/M/G)`,
      });
      return;
    }
    if (value >> BigInt(32 * field.cells) !== 0n) {
      errors.push({
        offset: tok.offset,
        length: tok.text.length,
        message: `${field.role} ${tok.text} in ${propertyName} does not fit in ${field.cells} cell${field.cells === 1 ? '' : 's'} (${field.source})`,
      });
      return;
    }
    for (let c = field.cells - 1; c >= 0; c--) cells.push((value >> BigInt(32 * c)) & 0xffffffffn);
  });
  return { segments: errors.length > 0 ? [] : [{ kind: 'cells', bits: 32, cells }], errors };
}
