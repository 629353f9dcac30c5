import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CapError } from './cap-error.ts';
import { findIllegalCharacter, readXmlDocument, type XmlElement } from './xml-reader.ts';

function malformed(xml: string, message?: RegExp): void {
  assert.throws(
    () => readXmlDocument(xml),
    (error: unknown) =>
      error instanceof CapError &&
      error.code === 'cap.malformed' &&
      (!message || message.test(error.message)),
  );
}

function child(element: XmlElement, index: number): XmlElement {
  const found = element.children[index];
  assert.ok(found, `no child ${index} in <${element.localName}>`);
  return found;
}

describe('readXmlDocument', () => {
  test('resolves default and prefixed namespaces, including redeclarations', () => {
    const root = readXmlDocument(
      '<a:root xmlns:a="urn:a" xmlns="urn:d"><plain/><a:x/><inner xmlns="urn:e"><deep/></inner><none xmlns=""/></a:root>',
    );
    assert.equal(root.namespace, 'urn:a');
    assert.equal(root.localName, 'root');
    assert.deepEqual(
      root.children.map((c) => [c.localName, c.namespace]),
      [
        ['plain', 'urn:d'],
        ['x', 'urn:a'],
        ['inner', 'urn:e'],
        ['none', ''],
      ],
    );
    assert.equal(child(child(root, 2), 0).namespace, 'urn:e');
  });

  test('decodes the predefined entities and character references, and keeps CDATA raw', () => {
    const root = readXmlDocument(
      '<t>&lt;&gt;&amp;&apos;&quot; &#1575;&#x1200;&#x1D11E; <![CDATA[<b>&amp;</b>]]></t>',
    );
    assert.equal(root.text, `<>&'" \u0627\u1200\u{1D11E} <b>&amp;</b>`);
  });

  test('normalises line ends but keeps an escaped carriage return', () => {
    assert.equal(readXmlDocument('<t>a\r\nb\rc&#13;d</t>').text, 'a\nb\nc\rd');
  });

  test('accepts a BOM, the XML declaration, comments and processing instructions around the root', () => {
    const root = readXmlDocument(
      "\uFEFF<?xml version = '1.0' encoding = 'UTF-8' standalone = 'yes'?>\n<!-- c --><?pi data?>\n<r><!-- in --><?p?>x</r>\n<!-- end -->\n",
    );
    assert.equal(root.localName, 'r');
    assert.equal(root.text, 'x');
  });

  test('gives each element the line of its start tag', () => {
    const root = readXmlDocument('<r>\n  <a/>\n\n  <b>\n  </b>\n</r>');
    assert.deepEqual(
      root.children.map((c) => c.line),
      [2, 4],
    );
  });

  test('ignores attributes other than namespace declarations, but checks them', () => {
    assert.equal(readXmlDocument(`<r a="1" b = '2>'/>`).localName, 'r');
    malformed('<r a="1" a="2"/>', /appears twice/);
    malformed('<r a=1/>', /quoted/);
    malformed('<r a="<"/>', /"<"/);
    malformed('<r a="1"b="2"/>', /whitespace/);
  });

  describe('refuses what is not well-formed', () => {
    const cases: [string, string, RegExp][] = [
      ['an unclosed root', '<r><a></a>', /<r> is not closed/],
      ['crossed tags', '<r><a></r></a>', /<\/r> does not close <a>/],
      ['two roots', '<r/><s/>', /after the root/],
      ['text before the root', 'hello <r/>', /root element/],
      ['an empty document', '', /root element/],
      ['an undeclared entity', '<r>&nbsp;</r>', /"&nbsp;" is not one of/],
      ['a bare ampersand', '<r>fish & chips</r>', /&amp;/],
      ['a reference to a forbidden character', '<r>&#0;</r>', /not an XML character/],
      ['a reference beyond Unicode', '<r>&#x110000;</r>', /not an XML character/],
      ['a raw control character', '<r>\u0001</r>', /U\+0001/],
      ['a lone surrogate', '<r>\uD800</r>', /U\+D800/],
      ['"]]>" in text', '<r>a]]>b</r>', /"]]>"/],
      ['an unbound prefix', '<p:r/>', /prefix "p" is not declared/],
      ['an unbound attribute prefix', '<r q:a="1"/>', /prefix "q"/],
      ['an empty prefixed namespace', '<p:r xmlns:p=""/>', /empty name/],
      ['"--" inside a comment', '<r><!-- a -- b --></r>', /"--"/],
      ['an unclosed comment', '<r><!-- a </r>', /comment is not closed/],
      ['an unclosed CDATA section', '<r><![CDATA[ a </r>', /CDATA/],
      ['an XML declaration not at the start', ' <?xml version="1.0"?><r/>', /only allowed at the very start/],
      ['a bad XML declaration', '<?xml encoding="UTF-8"?><r/>', /XML declaration/],
      ['a name starting with a digit', '<1r/>', /element name/],
      ['a double-colon name', '<a:b:c xmlns:a="urn:a"/>', /whitespace, ">"/],
    ];
    for (const [name, xml, message] of cases) {
      test(name, () => {
        malformed(xml, message);
      });
    }
  });

  test('refuses any DOCTYPE with its own code', () => {
    for (const xml of [
      '<!DOCTYPE r><r/>',
      '<r><!DOCTYPE r></r>',
      '<?xml version="1.0"?>\n<!doctype r [ ]><r/>',
    ]) {
      assert.throws(() => readXmlDocument(xml), { code: 'cap.dtd_forbidden' });
    }
  });

  test('limits nesting depth', () => {
    const nested = (depth: number) => `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`;
    assert.doesNotThrow(() => readXmlDocument(nested(10), { maxDepth: 10 }));
    assert.throws(() => readXmlDocument(nested(11), { maxDepth: 10 }), /nested deeper than 10/);
  });

  test('numbers lines correctly across many elements', () => {
    const count = 20_000;
    const root = readXmlDocument(`<r>\n${'<a>x</a>\n'.repeat(count)}</r>`);
    assert.equal(root.children.length, count);
    assert.equal(root.children[count - 1]?.line, count + 1);
  });
});

describe('findIllegalCharacter', () => {
  test('finds controls, non-characters and lone surrogates, and accepts the rest', () => {
    assert.equal(findIllegalCharacter('ok\t\n\r ابقوا ማስጠንቀቂያ 𝄞'), -1);
    assert.equal(findIllegalCharacter('ab\u000Bc'), 2);
    assert.equal(findIllegalCharacter('\uFFFE'), 0);
    assert.equal(findIllegalCharacter('a\uDC00'), 1);
    assert.equal(findIllegalCharacter('a\uD83D'), 1);
  });
});
