import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, htmlMail } from './mail-message.js';

describe('escapeHtml', () => {
  it('escapes what could open a tag, an entity or leave an attribute', () => {
    assert.equal(
      escapeHtml(`<a href="x" onclick='y'>&amp;</a>`),
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    assert.equal(escapeHtml('plain words, ünïcode ✓'), 'plain words, ünïcode ✓');
  });
});

describe('htmlMail', () => {
  it('puts the paragraphs as given and escapes the link and its label', () => {
    const sut = htmlMail(['<em>one</em>', 'two'], { href: 'https://forum.example.org/x?a=1&b="2"', label: '<Go>' });
    assert.match(sut, /<p><em>one<\/em><\/p>\n<p>two<\/p>/);
    assert.ok(sut.includes('<a href="https://forum.example.org/x?a=1&amp;b=&quot;2&quot;">&lt;Go&gt;</a>'));
    assert.doesNotMatch(sut, /<script|<style|<img/);
  });
});
