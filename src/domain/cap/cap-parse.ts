import { normalizeImportedCapDateTime } from './cap-datetime.ts';
import { CapError } from './cap-error.ts';
import { parseCapCircle, parseCapPolygon, parseDecimal } from './cap-geometry.ts';
import {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_DEFAULT_LANGUAGE,
  CAP_LANGUAGE_TAG,
  CAP_MSG_TYPES,
  CAP_NAMESPACE_1_1,
  CAP_NAMESPACE_1_2,
  CAP_RESPONSE_TYPES,
  CAP_SCOPES,
  CAP_SEVERITIES,
  CAP_STATUSES,
  CAP_URGENCIES,
  type CapAlert,
  type CapArea,
  type CapCertainty,
  type CapInfo,
  type CapReference,
  type CapResource,
  type CapValuePair,
} from './cap-types.ts';
import { readXmlDocument, type XmlElement } from './xml-reader.ts';

/** 1 MiB: far above any real CAP message, low enough that a hostile upload costs little. */
export const CAP_DEFAULT_MAX_BYTES = 1024 * 1024;

export type ParseCapOptions = {
  /** Largest document accepted, in UTF-8 bytes. Defaults to CAP_DEFAULT_MAX_BYTES. */
  readonly maxBytes?: number;
};

const INTEGER = /^[+-]?\d+$/;

/**
 * Reads a CAP 1.2 or CAP 1.1 message from an outside source into Haven's CAP model.
 *
 * Refuses, before any parsing, documents over the size limit ('cap.too_large') and any DOCTYPE or
 * entity declaration ('cap.dtd_forbidden'), so nothing is ever fetched or expanded. Then:
 * 'cap.malformed' (not well-formed XML), 'cap.bad_namespace' (root not CAP 1.1/1.2 <alert>),
 * 'cap.missing_field', 'cap.invalid_value', 'cap.bad_date', 'cap.bad_area', each naming the field.
 * Dates in 'Z' form or with fractions of a second are rewritten in CAP 1.2 form; CAP 1.1's
 * certainty "Very Likely" becomes "Likely", as CAP 1.2 directs. Elements CAP does not define (such as
 * an XML signature) are ignored.
 */
export function parseCap(xml: string, options: ParseCapOptions = {}): CapAlert {
  const maxBytes = options.maxBytes ?? CAP_DEFAULT_MAX_BYTES;
  if (utf8LengthExceeds(xml, maxBytes)) {
    throw new CapError('cap.too_large', `CAP message is larger than the ${maxBytes}-byte limit`);
  }
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(xml)) {
    throw new CapError('cap.dtd_forbidden', 'CAP messages with a DOCTYPE or entity declarations are refused');
  }
  const root = readXmlDocument(xml);
  if (root.namespace !== CAP_NAMESPACE_1_2 && root.namespace !== CAP_NAMESPACE_1_1) {
    const found = root.namespace === '' ? 'no namespace' : `namespace "${clip(root.namespace)}"`;
    throw new CapError(
      'cap.bad_namespace',
      `root element <${clip(root.localName)}> is in ${found}; expected ${CAP_NAMESPACE_1_2} or ${CAP_NAMESPACE_1_1}`,
    );
  }
  if (root.localName !== 'alert') {
    throw new CapError(
      'cap.missing_field',
      `root element is <${clip(root.localName)}>, not <alert>`,
      'alert',
    );
  }
  return readAlert(new Fields(root, ''), root.namespace === CAP_NAMESPACE_1_1);
}

function readAlert(f: Fields, isCap11: boolean): CapAlert {
  return withoutUndefined({
    identifier: f.required('identifier'),
    sender: f.required('sender'),
    sent: f.requiredDate('sent'),
    status: f.requiredEnum('status', CAP_STATUSES),
    msgType: f.requiredEnum('msgType', CAP_MSG_TYPES),
    source: f.optional('source'),
    scope: f.requiredEnum('scope', CAP_SCOPES),
    restriction: f.optional('restriction'),
    addresses: splitQuotedList(f.optional('addresses') ?? ''),
    code: f.texts('code').filter((code) => code !== ''),
    note: f.optional('note'),
    references: readReferences(f.optional('references'), f.path('references')),
    incidents: splitQuotedList(f.optional('incidents') ?? ''),
    info: f.children('info').map((info) => readInfo(info, isCap11)),
  });
}

function readInfo(f: Fields, isCap11: boolean): CapInfo {
  const language = f.optional('language') ?? CAP_DEFAULT_LANGUAGE;
  if (!CAP_LANGUAGE_TAG.test(language)) {
    throw new CapError(
      'cap.invalid_value',
      `${f.path('language')} "${clip(language)}" is not a language tag`,
      f.path('language'),
    );
  }
  const category = f
    .texts('category')
    .map((value, i) => f.enumValue(`category[${i}]`, value, CAP_CATEGORIES));
  if (category.length === 0) {
    throw new CapError('cap.missing_field', `${f.path('category')} is required`, f.path('category'));
  }
  // CAP 1.2 dropped 1.1's "Very Likely" and asks receivers to treat it as "Likely".
  const certaintyText = f.optional('certainty');
  const certainty: CapCertainty =
    isCap11 && certaintyText === 'Very Likely' ? 'Likely' : f.requiredEnum('certainty', CAP_CERTAINTIES);
  return withoutUndefined({
    language,
    category,
    event: f.required('event'),
    responseType: f
      .texts('responseType')
      .map((value, i) => f.enumValue(`responseType[${i}]`, value, CAP_RESPONSE_TYPES)),
    urgency: f.requiredEnum('urgency', CAP_URGENCIES),
    severity: f.requiredEnum('severity', CAP_SEVERITIES),
    certainty,
    audience: f.optional('audience'),
    eventCode: f.children('eventCode').map(readPair),
    effective: f.optionalDate('effective'),
    onset: f.optionalDate('onset'),
    expires: f.optionalDate('expires'),
    senderName: f.optional('senderName'),
    headline: f.optional('headline'),
    description: f.optional('description'),
    instruction: f.optional('instruction'),
    web: f.optional('web'),
    contact: f.optional('contact'),
    parameter: f.children('parameter').map(readPair),
    resource: f.children('resource').map(readResource),
    area: f.children('area').map(readArea),
  });
}

function readResource(f: Fields): CapResource {
  const sizeText = f.optional('size');
  let size: number | undefined;
  if (sizeText !== undefined) {
    size = Number(sizeText);
    if (!INTEGER.test(sizeText) || !Number.isSafeInteger(size) || size < 0) {
      throw new CapError(
        'cap.invalid_value',
        `${f.path('size')} "${clip(sizeText)}" is not a byte count`,
        f.path('size'),
      );
    }
  }
  return withoutUndefined({
    resourceDesc: f.required('resourceDesc'),
    mimeType: f.required('mimeType'),
    size,
    uri: f.optional('uri'),
    derefUri: f.optional('derefUri'),
    digest: f.optional('digest'),
  });
}

function readArea(f: Fields): CapArea {
  const altitude = f.optional('altitude');
  const ceiling = f.optional('ceiling');
  return withoutUndefined({
    areaDesc: f.required('areaDesc'),
    polygon: f.texts('polygon').map((text, i) => parseCapPolygon(text, f.path(`polygon[${i}]`))),
    circle: f.texts('circle').map((text, i) => parseCapCircle(text, f.path(`circle[${i}]`))),
    geocode: f.children('geocode').map(readPair),
    altitude: altitude === undefined ? undefined : parseDecimal(altitude, f.path('altitude')),
    ceiling: ceiling === undefined ? undefined : parseDecimal(ceiling, f.path('ceiling')),
  });
}

function readPair(f: Fields): CapValuePair {
  return { valueName: f.requiredPresent('valueName'), value: f.requiredPresent('value') };
}

function readReferences(text: string | undefined, field: string): CapReference[] {
  if (text === undefined) return [];
  return text.split(/\s+/).map((entry, i) => {
    const parts = entry.split(',');
    const [sender, identifier, sent] = parts;
    if (parts.length !== 3 || !sender || !identifier || !sent) {
      throw new CapError(
        'cap.invalid_value',
        `${field} entry ${i + 1} "${clip(entry)}" is not "sender,identifier,sent"`,
        field,
      );
    }
    return { sender, identifier, sent: normalizeImportedCapDateTime(sent, `${field}[${i}].sent`) };
  });
}

/** CAP's space-separated list where entries containing spaces come in double quotes. */
function splitQuotedList(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)]
    .map((m) => (m[1] ?? m[2] ?? '').trim())
    .filter((item) => item !== '');
}

/** The CAP-namespace children of one element, by name, with the path used in error messages. */
class Fields {
  private readonly element: XmlElement;
  private readonly prefix: string;
  private readonly byName = new Map<string, XmlElement[]>();

  constructor(element: XmlElement, prefix: string) {
    this.element = element;
    this.prefix = prefix;
    for (const child of element.children) {
      if (child.namespace !== element.namespace) continue;
      const list = this.byName.get(child.localName);
      if (list) list.push(child);
      else this.byName.set(child.localName, [child]);
    }
  }

  path(name: string): string {
    return this.prefix === '' ? name : `${this.prefix}.${name}`;
  }

  children(name: string): Fields[] {
    return (this.byName.get(name) ?? []).map((child, i) => new Fields(child, this.path(`${name}[${i}]`)));
  }

  texts(name: string): string[] {
    return (this.byName.get(name) ?? []).map((child) => child.text.trim());
  }

  /** Text of an element CAP allows once; undefined when absent or empty. */
  optional(name: string): string | undefined {
    const text = this.single(name)?.text.trim();
    return text === '' ? undefined : text;
  }

  required(name: string): string {
    const text = this.optional(name);
    if (text === undefined) throw this.missing(name);
    return text;
  }

  /** An element that must be present but may be empty, like <value/>. */
  requiredPresent(name: string): string {
    const element = this.single(name);
    if (!element) throw this.missing(name);
    return element.text.trim();
  }

  requiredEnum<T extends string>(name: string, allowed: readonly T[]): T {
    return this.enumValue(name, this.required(name), allowed);
  }

  enumValue<T extends string>(name: string, value: string, allowed: readonly T[]): T {
    const match = allowed.find((a) => a === value);
    if (match === undefined) {
      throw new CapError(
        'cap.invalid_value',
        `${this.path(name)} "${clip(value)}" is not one of ${allowed.join(', ')}`,
        this.path(name),
      );
    }
    return match;
  }

  requiredDate(name: string): string {
    return normalizeImportedCapDateTime(this.required(name), this.path(name));
  }

  optionalDate(name: string): string | undefined {
    const text = this.optional(name);
    return text === undefined ? undefined : normalizeImportedCapDateTime(text, this.path(name));
  }

  private single(name: string): XmlElement | undefined {
    const list = this.byName.get(name);
    if (list && list.length > 1) {
      throw new CapError(
        'cap.invalid_value',
        `${this.path(name)} appears ${list.length} times (line ${list[1]?.line}); CAP allows it once`,
        this.path(name),
      );
    }
    return list?.[0];
  }

  private missing(name: string): CapError {
    const where = this.prefix === '' ? '<alert>' : `${this.prefix} (line ${this.element.line})`;
    return new CapError(
      'cap.missing_field',
      `${this.path(name)} is required but missing from ${where}`,
      this.path(name),
    );
  }
}

/** Drops keys whose value is undefined, so optional fields are absent rather than present-but-empty. */
function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

function utf8LengthExceeds(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true;
  if (text.length * 3 <= maxBytes) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
    if (bytes > maxBytes) return true;
  }
  return false;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
