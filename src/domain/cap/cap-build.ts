import { isCapDateTime } from './cap-datetime.ts';
import { CapError } from './cap-error.ts';
import { formatCapCircle, formatCapPolygon, formatDecimal } from './cap-geometry.ts';
import {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_LANGUAGE_TAG,
  CAP_MSG_TYPES,
  CAP_NAMESPACE_1_2,
  CAP_RESPONSE_TYPES,
  CAP_SCOPES,
  CAP_SEVERITIES,
  CAP_STATUSES,
  CAP_URGENCIES,
  type CapAlert,
  type CapArea,
  type CapInfo,
  type CapResource,
  type CapValuePair,
} from './cap-types.ts';
import { findIllegalCharacter } from './xml-reader.ts';

/** CAP forbids these in identifiers and senders, because <references> joins them with commas and spaces. */
const FORBIDDEN_IN_IDENTIFIER = /[\s,<&]/;
const MAX_ALTITUDE_FEET = 1e12;
const NEEDS_REFERENCES = new Set(['Update', 'Cancel', 'Ack', 'Error']);

/**
 * Writes an alert as a CAP 1.2 document that validates against the OASIS schema: elements in schema
 * order, dateTimes with numeric offsets, polygons closed, every text escaped. Haven is stricter than the
 * schema where CAP's prose asks for it: Update, Cancel, Ack and Error must carry references, a Restricted
 * scope needs a restriction, Private needs addresses, and there is one info block per language.
 * Throws CapError naming the offending field.
 */
export function buildCapXml(alert: CapAlert): string {
  const out = new XmlWriter();
  out.line(`<alert xmlns="${CAP_NAMESPACE_1_2}">`);
  out.indent(() => {
    out.element('identifier', identifierText(alert.identifier, 'identifier'), 'identifier');
    out.element('sender', identifierText(alert.sender, 'sender'), 'sender');
    out.element('sent', dateText(alert.sent, 'sent'), 'sent');
    out.element('status', oneOf(alert.status, CAP_STATUSES, 'status'), 'status');
    out.element('msgType', oneOf(alert.msgType, CAP_MSG_TYPES, 'msgType'), 'msgType');
    out.optional('source', alert.source, 'source');
    out.element('scope', oneOf(alert.scope, CAP_SCOPES, 'scope'), 'scope');
    if (alert.scope === 'Restricted' && !alert.restriction) {
      throw new CapError(
        'cap.missing_field',
        'restriction is required when scope is Restricted',
        'restriction',
      );
    }
    out.optional('restriction', alert.restriction, 'restriction');
    if (alert.scope === 'Private' && alert.addresses.length === 0) {
      throw new CapError('cap.missing_field', 'addresses are required when scope is Private', 'addresses');
    }
    out.optional('addresses', quotedList(alert.addresses, 'addresses'), 'addresses');
    alert.code.forEach((code, i) => {
      out.element('code', nonEmpty(code, `code[${i}]`), `code[${i}]`);
    });
    out.optional('note', alert.note, 'note');
    if (NEEDS_REFERENCES.has(alert.msgType) && alert.references.length === 0) {
      throw new CapError(
        'cap.missing_field',
        `references are required for msgType ${alert.msgType}: name the message(s) it concerns`,
        'references',
      );
    }
    const references = alert.references.map((r, i) => {
      const field = `references[${i}]`;
      return `${identifierText(r.sender, `${field}.sender`)},${identifierText(r.identifier, `${field}.identifier`)},${dateText(r.sent, `${field}.sent`)}`;
    });
    out.optional('references', references.join(' '), 'references');
    out.optional('incidents', quotedList(alert.incidents, 'incidents'), 'incidents');

    const languages = new Map<string, number>();
    alert.info.forEach((info, i) => {
      const field = `info[${i}]`;
      const key = info.language.toLowerCase();
      const earlier = languages.get(key);
      if (earlier !== undefined) {
        throw new CapError(
          'cap.duplicate_language',
          `${field} repeats language ${info.language} of info[${earlier}]; send one info block per language`,
          `${field}.language`,
        );
      }
      languages.set(key, i);
      out.line('<info>');
      out.indent(() => writeInfo(out, info, field));
      out.line('</info>');
    });
  });
  out.line('</alert>');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${out.text()}`;
}

function writeInfo(out: XmlWriter, info: CapInfo, field: string): void {
  if (!CAP_LANGUAGE_TAG.test(info.language)) {
    throw new CapError(
      'cap.invalid_value',
      `${field}.language "${info.language}" is not a language tag`,
      `${field}.language`,
    );
  }
  out.element('language', info.language, `${field}.language`);
  if (info.category.length === 0) {
    throw new CapError(
      'cap.missing_field',
      `${field}.category needs at least one value`,
      `${field}.category`,
    );
  }
  info.category.forEach((c, i) => {
    out.element('category', oneOf(c, CAP_CATEGORIES, `${field}.category[${i}]`), `${field}.category[${i}]`);
  });
  out.element('event', nonEmpty(info.event, `${field}.event`), `${field}.event`);
  info.responseType.forEach((r, i) => {
    const at = `${field}.responseType[${i}]`;
    out.element('responseType', oneOf(r, CAP_RESPONSE_TYPES, at), at);
  });
  out.element('urgency', oneOf(info.urgency, CAP_URGENCIES, `${field}.urgency`), `${field}.urgency`);
  out.element('severity', oneOf(info.severity, CAP_SEVERITIES, `${field}.severity`), `${field}.severity`);
  out.element(
    'certainty',
    oneOf(info.certainty, CAP_CERTAINTIES, `${field}.certainty`),
    `${field}.certainty`,
  );
  out.optional('audience', info.audience, `${field}.audience`);
  writePairs(out, 'eventCode', info.eventCode, field);
  for (const name of ['effective', 'onset', 'expires'] as const) {
    const value = info[name];
    if (value !== undefined) out.element(name, dateText(value, `${field}.${name}`), `${field}.${name}`);
  }
  for (const name of ['senderName', 'headline', 'description', 'instruction', 'web', 'contact'] as const) {
    out.optional(name, info[name], `${field}.${name}`);
  }
  writePairs(out, 'parameter', info.parameter, field);
  info.resource.forEach((resource, i) => {
    writeResource(out, resource, `${field}.resource[${i}]`);
  });
  info.area.forEach((area, i) => {
    writeArea(out, area, `${field}.area[${i}]`);
  });
}

function writeResource(out: XmlWriter, resource: CapResource, field: string): void {
  out.line('<resource>');
  out.indent(() => {
    out.element(
      'resourceDesc',
      nonEmpty(resource.resourceDesc, `${field}.resourceDesc`),
      `${field}.resourceDesc`,
    );
    out.element('mimeType', nonEmpty(resource.mimeType, `${field}.mimeType`), `${field}.mimeType`);
    if (resource.size !== undefined) {
      if (!Number.isSafeInteger(resource.size) || resource.size < 0) {
        throw new CapError(
          'cap.invalid_value',
          `${field}.size must be a whole number of bytes`,
          `${field}.size`,
        );
      }
      out.element('size', String(resource.size), `${field}.size`);
    }
    out.optional('uri', resource.uri, `${field}.uri`);
    out.optional('derefUri', resource.derefUri, `${field}.derefUri`);
    out.optional('digest', resource.digest, `${field}.digest`);
  });
  out.line('</resource>');
}

function writeArea(out: XmlWriter, area: CapArea, field: string): void {
  out.line('<area>');
  out.indent(() => {
    out.element('areaDesc', nonEmpty(area.areaDesc, `${field}.areaDesc`), `${field}.areaDesc`);
    area.polygon.forEach((polygon, i) => {
      const at = `${field}.polygon[${i}]`;
      out.element('polygon', formatCapPolygon(polygon, at), at);
    });
    area.circle.forEach((circle, i) => {
      const at = `${field}.circle[${i}]`;
      out.element('circle', formatCapCircle(circle, at), at);
    });
    writePairs(out, 'geocode', area.geocode, field);
    if (area.ceiling !== undefined && area.altitude === undefined) {
      throw new CapError('cap.missing_field', `${field}.ceiling needs an altitude`, `${field}.altitude`);
    }
    for (const name of ['altitude', 'ceiling'] as const) {
      const value = area[name];
      if (value === undefined) continue;
      if (!Number.isFinite(value) || Math.abs(value) >= MAX_ALTITUDE_FEET) {
        throw new CapError(
          'cap.invalid_value',
          `${field}.${name} must be a number of feet below 10^12`,
          `${field}.${name}`,
        );
      }
      // Six decimals keep the xs:decimal within the 18 digits every schema processor must support.
      out.element(name, formatDecimal(Number(value.toFixed(6)) + 0), `${field}.${name}`);
    }
  });
  out.line('</area>');
}

function writePairs(out: XmlWriter, name: string, pairs: readonly CapValuePair[], parent: string): void {
  pairs.forEach((pair, i) => {
    const field = `${parent}.${name}[${i}]`;
    out.line(`<${name}>`);
    out.indent(() => {
      out.element('valueName', nonEmpty(pair.valueName, `${field}.valueName`), `${field}.valueName`);
      out.element('value', pair.value, `${field}.value`);
    });
    out.line(`</${name}>`);
  });
}

function identifierText(value: string, field: string): string {
  nonEmpty(value, field);
  if (FORBIDDEN_IN_IDENTIFIER.test(value)) {
    throw new CapError('cap.invalid_value', `${field} must not contain spaces, commas, "<" or "&"`, field);
  }
  return value;
}

function dateText(value: string, field: string): string {
  if (!isCapDateTime(value)) {
    throw new CapError(
      'cap.bad_date',
      `${field} "${value}" is not a CAP dateTime such as 2026-11-27T03:00:00+00:00 (use formatCapDateTime)`,
      field,
    );
  }
  return value;
}

function oneOf<T extends string>(value: T, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value)) {
    throw new CapError('cap.invalid_value', `${field} "${value}" is not one of ${allowed.join(', ')}`, field);
  }
  return value;
}

function nonEmpty(value: string, field: string): string {
  if (value.trim() === '') throw new CapError('cap.missing_field', `${field} is required`, field);
  return value;
}

/** CAP's space-separated list where an entry containing spaces is put in double quotes. */
function quotedList(items: readonly string[], field: string): string {
  return items
    .map((item, i) => {
      if (item.trim() === '' || item.includes('"')) {
        throw new CapError(
          'cap.invalid_value',
          `${field}[${i}] must be non-empty and free of '"'`,
          `${field}[${i}]`,
        );
      }
      return /\s/.test(item) ? `"${item}"` : item;
    })
    .join(' ');
}

class XmlWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  line(markup: string): void {
    this.lines.push('  '.repeat(this.depth) + markup);
  }

  indent(body: () => void): void {
    this.depth += 1;
    body();
    this.depth -= 1;
  }

  element(name: string, value: string, field: string): void {
    this.line(value === '' ? `<${name}/>` : `<${name}>${escapeText(value, field)}</${name}>`);
  }

  optional(name: string, value: string | undefined, field: string): void {
    if (value !== undefined && value !== '') this.element(name, value, field);
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function escapeText(value: string, field: string): string {
  const illegal = findIllegalCharacter(value);
  if (illegal >= 0) {
    const code = (value.codePointAt(illegal) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw new CapError('cap.invalid_value', `${field} contains U+${code}, which XML cannot carry`, field);
  }
  // "\r" is escaped because XML parsers turn a literal carriage return into "\n".
  return value.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
  );
}
