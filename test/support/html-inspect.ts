/** Parses HTML with a real parser (htmlparser2) and collects what a browser would build from it. */
import { Parser } from 'htmlparser2';

export interface ParsedHtml {
  /** Tag names in document order. */
  tags: string[];
  /** Every attribute as [tag, name, decoded value]. */
  attributes: Array<[string, string, string]>;
  /** The decoded text content (text nodes joined; the parser may split them). */
  text: string;
}

export function inspectHtml(html: string): ParsedHtml {
  const tags: string[] = [];
  const attributes: Array<[string, string, string]> = [];
  const texts: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        tags.push(name);
        for (const [key, value] of Object.entries(attrs)) attributes.push([name, key, value]);
      },
      ontext(data) {
        texts.push(data);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return { tags, attributes, text: texts.join('') };
}
