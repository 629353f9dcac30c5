import { CapError } from './cap-error.ts';

// A strict reader for the subset of XML 1.0 + Namespaces that CAP messages use. It is written here,
// rather than taken from fast-xml-parser, because messages come from outside and must be refused, not
// repaired: fast-xml-parser 5 accepts unclosed documents and undeclared entities such as "&xxe;", decodes
// numeric character references only together with HTML's named entities, and leaves namespace prefixes
// unresolved. This reader has no notion of DTDs, so it cannot fetch or expand anything.

/** An element with its namespace resolved, and the character data directly inside it. */
export type XmlElement = {
  /** Namespace URI; '' when the element is in no namespace. */
  readonly namespace: string;
  readonly localName: string;
  readonly children: readonly XmlElement[];
  /** Text and CDATA directly inside the element, references decoded, line ends normalised to "\n". */
  readonly text: string;
  /** 1-based line of the start tag, for error messages. */
  readonly line: number;
};

export type XmlReadOptions = {
  /** Deepest element nesting accepted; CAP itself needs four levels. */
  readonly maxDepth?: number;
};

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const DEFAULT_MAX_DEPTH = 64;

const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NCNAME = `[${NAME_START}][${NAME_CHAR}]*`;
const QNAME = new RegExp(`(?:${NCNAME}:)?${NCNAME}`, 'uy');
const PI_TARGET = new RegExp(NCNAME, 'uy');
const XML_DECLARATION =
  /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.[0-9]+\1(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\3)?[ \t\n]*\?>/y;
const REFERENCE = /&(?:(lt|gt|amp|apos|quot)|#([0-9]+)|#x([0-9a-fA-F]+));/y;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/**
 * Reads a whole XML document and returns its root element.
 * Throws CapError 'cap.dtd_forbidden' on any DOCTYPE, 'cap.malformed' on anything not well-formed
 * (with line and column), including undeclared entities and unbound namespace prefixes.
 */
export function readXmlDocument(source: string, options: XmlReadOptions = {}): XmlElement {
  const text = (source.startsWith('\uFEFF') ? source.slice(1) : source).replace(/\r\n?/g, '\n');
  return new XmlReader(text, options.maxDepth ?? DEFAULT_MAX_DEPTH).document();
}

type Attribute = { readonly qname: string; readonly value: string; readonly at: number };

type OpenElement = {
  readonly qname: string;
  readonly namespace: string;
  readonly localName: string;
  readonly namespaces: ReadonlyMap<string, string>;
  readonly children: XmlElement[];
  readonly text: string[];
  readonly line: number;
};

class XmlReader {
  private readonly src: string;
  private readonly maxDepth: number;
  private pos = 0;
  private lineCursor = { at: 0, line: 1 };

  constructor(src: string, maxDepth: number) {
    this.src = src;
    this.maxDepth = maxDepth;
  }

  document(): XmlElement {
    const illegal = findIllegalCharacter(this.src);
    if (illegal >= 0) {
      const code = this.src.codePointAt(illegal) ?? 0;
      throw this.malformed(
        `character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed`,
        illegal,
      );
    }
    this.declaration();
    this.misc();
    if (this.src[this.pos] !== '<' || this.pos >= this.src.length)
      throw this.malformed('expected the root element');
    const root = this.elementTree();
    this.misc();
    if (this.pos < this.src.length) throw this.malformed('content after the root element');
    return root;
  }

  private declaration(): void {
    if (!/^<\?xml[ \t\n?]/.test(this.src)) return;
    XML_DECLARATION.lastIndex = 0;
    if (!XML_DECLARATION.test(this.src)) throw this.malformed('bad XML declaration', 0);
    this.pos = XML_DECLARATION.lastIndex;
  }

  /** Skips whitespace, comments and processing instructions around the root element. */
  private misc(): void {
    for (;;) {
      this.skipSpace();
      if (this.src.startsWith('<!--', this.pos)) this.comment();
      else if (this.src.startsWith('<?', this.pos)) this.processingInstruction();
      else if (this.src.startsWith('<!', this.pos)) throw this.markupDeclaration();
      else return;
    }
  }

  private elementTree(): XmlElement {
    const stack: OpenElement[] = [];
    const first = this.startTag(new Map([['xml', XML_NAMESPACE]]), 0);
    if (first.closed) return first.element;
    stack.push(first.open);
    for (;;) {
      const current = stack[stack.length - 1];
      if (!current) throw this.malformed('internal state lost');
      const lt = this.src.indexOf('<', this.pos);
      if (lt === -1) throw this.malformed(`element <${current.qname}> is not closed`, this.src.length);
      if (lt > this.pos) current.text.push(this.characterData(this.pos, lt));
      this.pos = lt;
      if (this.src.startsWith('</', lt)) {
        this.endTag(current);
        stack.pop();
        const done: XmlElement = {
          namespace: current.namespace,
          localName: current.localName,
          children: current.children,
          text: current.text.join(''),
          line: current.line,
        };
        const parent = stack[stack.length - 1];
        if (!parent) return done;
        parent.children.push(done);
      } else if (this.src.startsWith('<!--', lt)) {
        this.comment();
      } else if (this.src.startsWith('<![CDATA[', lt)) {
        const end = this.src.indexOf(']]>', lt + 9);
        if (end === -1) throw this.malformed('CDATA section is not closed');
        current.text.push(this.src.slice(lt + 9, end));
        this.pos = end + 3;
      } else if (this.src.startsWith('<?', lt)) {
        this.processingInstruction();
      } else if (this.src.startsWith('<!', lt)) {
        throw this.markupDeclaration();
      } else {
        const child = this.startTag(current.namespaces, stack.length);
        if (child.closed) current.children.push(child.element);
        else stack.push(child.open);
      }
    }
  }

  private startTag(
    inScope: ReadonlyMap<string, string>,
    depth: number,
  ): { closed: true; element: XmlElement } | { closed: false; open: OpenElement } {
    if (depth >= this.maxDepth) throw this.malformed(`elements are nested deeper than ${this.maxDepth}`);
    const line = this.lineAt(this.pos);
    this.pos += 1;
    const qname = this.name(QNAME, 'expected an element name after "<"');
    const attributes: Attribute[] = [];
    let closed: boolean;
    for (;;) {
      const spaced = this.skipSpace();
      if (this.src.startsWith('/>', this.pos)) {
        this.pos += 2;
        closed = true;
        break;
      }
      if (this.src[this.pos] === '>') {
        this.pos += 1;
        closed = false;
        break;
      }
      if (this.pos >= this.src.length) throw this.malformed(`start tag <${qname}> is not closed`);
      if (!spaced) throw this.malformed(`expected whitespace, ">" or "/>" in <${qname}>`);
      attributes.push(this.attribute(attributes));
    }

    const namespaces = this.declareNamespaces(inScope, attributes);
    const [prefix, localName] = splitQName(qname);
    const namespace = prefix === '' ? (namespaces.get('') ?? '') : namespaces.get(prefix);
    if (namespace === undefined) throw this.malformed(`namespace prefix "${prefix}" is not declared`);
    for (const attribute of attributes) {
      const [attributePrefix] = splitQName(attribute.qname);
      if (attributePrefix !== '' && attributePrefix !== 'xmlns' && !namespaces.has(attributePrefix)) {
        throw this.malformed(`namespace prefix "${attributePrefix}" is not declared`, attribute.at);
      }
    }
    if (closed) return { closed, element: { namespace, localName, children: [], text: '', line } };
    return { closed, open: { qname, namespace, localName, namespaces, children: [], text: [], line } };
  }

  private attribute(seen: readonly Attribute[]): Attribute {
    const at = this.pos;
    const qname = this.name(QNAME, 'expected an attribute name');
    if (seen.some((a) => a.qname === qname)) throw this.malformed(`attribute ${qname} appears twice`, at);
    this.skipSpace();
    if (this.src[this.pos] !== '=') throw this.malformed(`expected "=" after attribute ${qname}`);
    this.pos += 1;
    this.skipSpace();
    const quote = this.src[this.pos];
    if (quote !== '"' && quote !== "'") throw this.malformed(`value of attribute ${qname} must be quoted`);
    const end = this.src.indexOf(quote, this.pos + 1);
    if (end === -1) throw this.malformed(`value of attribute ${qname} is not closed`);
    const raw = this.src.slice(this.pos + 1, end);
    if (raw.includes('<')) throw this.malformed(`"<" in the value of attribute ${qname}`);
    const value = this.decodeReferences(raw.replace(/[\t\n]/g, ' '), this.pos + 1);
    this.pos = end + 1;
    return { qname, value, at };
  }

  private declareNamespaces(
    inScope: ReadonlyMap<string, string>,
    attributes: readonly Attribute[],
  ): ReadonlyMap<string, string> {
    let namespaces: Map<string, string> | undefined;
    for (const { qname, value, at } of attributes) {
      let prefix: string;
      if (qname === 'xmlns') prefix = '';
      else if (qname.startsWith('xmlns:')) prefix = qname.slice(6);
      else continue;
      if (prefix === 'xmlns') throw this.malformed('the prefix "xmlns" cannot be declared', at);
      if (prefix !== '' && value === '')
        throw this.malformed(`prefix "${prefix}" bound to an empty name`, at);
      if ((prefix === 'xml') !== (value === XML_NAMESPACE)) {
        throw this.malformed('the prefix "xml" and the XML namespace belong only to each other', at);
      }
      namespaces ??= new Map(inScope);
      namespaces.set(prefix, value);
    }
    return namespaces ?? inScope;
  }

  private endTag(open: OpenElement): void {
    this.pos += 2;
    const qname = this.name(QNAME, 'expected an element name after "</"');
    if (qname !== open.qname) {
      throw this.malformed(`</${qname}> does not close <${open.qname}> opened on line ${open.line}`);
    }
    this.skipSpace();
    if (this.src[this.pos] !== '>') throw this.malformed(`expected ">" to end </${qname}>`);
    this.pos += 1;
  }

  private comment(): void {
    const end = this.src.indexOf('--', this.pos + 4);
    if (end === -1) throw this.malformed('comment is not closed');
    if (this.src[end + 2] !== '>') throw this.malformed('"--" is not allowed inside a comment', end);
    this.pos = end + 3;
  }

  private processingInstruction(): void {
    const start = this.pos;
    this.pos += 2;
    const target = this.name(PI_TARGET, 'expected a processing-instruction target');
    if (target.toLowerCase() === 'xml')
      throw this.malformed('XML declaration is only allowed at the very start', start);
    const end = this.src.indexOf('?>', this.pos);
    if (end === -1) throw this.malformed('processing instruction is not closed', start);
    if (end > this.pos && !isSpace(this.src.charCodeAt(this.pos))) {
      throw this.malformed('expected whitespace after the processing-instruction target');
    }
    this.pos = end + 2;
  }

  /** Any "<!" that is neither a comment nor CDATA: a DOCTYPE is refused as such, the rest as malformed. */
  private markupDeclaration(): CapError {
    if (/^<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i.test(this.src.slice(this.pos, this.pos + 10))) {
      return new CapError(
        'cap.dtd_forbidden',
        `${this.where(this.pos)}: DTD and entity declarations are not accepted in CAP messages`,
      );
    }
    return this.malformed('unexpected "<!"');
  }

  private characterData(from: number, to: number): string {
    const raw = this.src.slice(from, to);
    const cdataEnd = raw.indexOf(']]>');
    if (cdataEnd !== -1) throw this.malformed('"]]>" is not allowed in text', from + cdataEnd);
    return this.decodeReferences(raw, from);
  }

  private decodeReferences(raw: string, offset: number): string {
    let amp = raw.indexOf('&');
    if (amp === -1) return raw;
    let out = '';
    let last = 0;
    while (amp !== -1) {
      REFERENCE.lastIndex = amp;
      const match = REFERENCE.exec(raw);
      if (!match) {
        const name = /^&([^\s;&<]{0,40});/.exec(raw.slice(amp))?.[1];
        throw this.malformed(
          name
            ? `entity "&${name};" is not one of XML's five predefined entities`
            : '"&" must start a reference; write "&amp;" for a literal ampersand',
          offset + amp,
        );
      }
      const [whole, named, decimal, hex] = match;
      let decoded: string;
      if (named) {
        decoded = PREDEFINED[named] ?? '';
      } else {
        const codePoint = decimal ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
        if (!isXmlCharacter(codePoint)) {
          throw this.malformed(`character reference ${whole} is not an XML character`, offset + amp);
        }
        decoded = String.fromCodePoint(codePoint);
      }
      out += raw.slice(last, amp) + decoded;
      last = amp + whole.length;
      amp = raw.indexOf('&', last);
    }
    return out + raw.slice(last);
  }

  private name(pattern: RegExp, expected: string): string {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.src);
    if (!match) throw this.malformed(expected);
    this.pos += match[0].length;
    return match[0];
  }

  private skipSpace(): boolean {
    const start = this.pos;
    while (this.pos < this.src.length && isSpace(this.src.charCodeAt(this.pos))) this.pos += 1;
    return this.pos > start;
  }

  /** Line of a position; counts on from the last answer, since start tags are met in document order. */
  private lineAt(at: number): number {
    if (at < this.lineCursor.at) this.lineCursor = { at: 0, line: 1 };
    let { line } = this.lineCursor;
    for (
      let i = this.src.indexOf('\n', this.lineCursor.at);
      i !== -1 && i < at;
      i = this.src.indexOf('\n', i + 1)
    ) {
      line += 1;
    }
    this.lineCursor = { at, line };
    return line;
  }

  private where(at: number): string {
    const lineStart = this.src.lastIndexOf('\n', at - 1) + 1;
    return `line ${this.lineAt(at)}, column ${at - lineStart + 1}`;
  }

  private malformed(message: string, at = this.pos): CapError {
    return new CapError('cap.malformed', `not well-formed XML at ${this.where(at)}: ${message}`);
  }
}

function splitQName(qname: string): [prefix: string, localName: string] {
  const colon = qname.indexOf(':');
  return colon === -1 ? ['', qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

function isXmlCharacter(code: number): boolean {
  return (
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Index of the first code unit that XML 1.0 forbids (controls, U+FFFE/U+FFFF, lone surrogates), or -1. */
export function findIllegalCharacter(text: string): number {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code < 0xd800) continue;
    if (code === 0x09 || code === 0x0a || code === 0x0d) continue;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      return i;
    }
    if (code >= 0xe000 && code <= 0xfffd) continue;
    return i;
  }
  return -1;
}
