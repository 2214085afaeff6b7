/**
 * How XML attribute names stand for device-tree property names.
 *
 * XML names cannot hold `#` or `,`, which property names use a lot, so in the attribute
 * form a leading `_` stands for `#` (`_address-cells` → `#address-cells`) and every `.`
 * for `,` (`linux.initrd-start` → `linux,initrd-start`). A property whose name cannot be
 * written that way uses the element form `<prop name="…">`.
 */

/** Attributes of `<node>` that are not properties. */
export const RESERVED_NODE_ATTRIBUTES: ReadonlySet<string> = new Set(['name', 'label', 'ref']);

/** Property name chars (Devicetree Specification v0.4 table 2.2). */
const PROPERTY_NAME = /^[0-9A-Za-z,._+?#-]+$/;
/** Node name chars, then an optional unit address (Devicetree Specification v0.4 section 2.2.1). */
const NODE_NAME = /^[0-9A-Za-z,._+-]+(@[0-9A-Za-z,._+-]+)?$/;
/** What an XML attribute name may be here: no `:` (namespaces are not used). */
const XML_ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

export function attributeToPropertyName(attribute: string): string {
  const hashed = attribute.startsWith('_') ? `#${attribute.slice(1)}` : attribute;
  return hashed.replaceAll('.', ',');
}

/**
 * The attribute name that stands for `property`, or undefined when the property needs the
 * element form: its name contains `.`, starts with `_`, is `name`, `label` or `ref`, has
 * a `#` other than first, or has characters an XML name cannot start with or hold.
 */
export function propertyToAttributeName(property: string): string | undefined {
  if (property.includes('.') || property.startsWith('_') || RESERVED_NODE_ATTRIBUTES.has(property)) return undefined;
  const attribute = (property.startsWith('#') ? `_${property.slice(1)}` : property).replaceAll(',', '.');
  if (!XML_ATTRIBUTE_NAME.test(attribute)) return undefined;
  return attributeToPropertyName(attribute) === property ? attribute : undefined;
}

export function isValidPropertyName(name: string): boolean {
  return PROPERTY_NAME.test(name);
}

export function isValidNodeName(name: string): boolean {
  return NODE_NAME.test(name);
}
