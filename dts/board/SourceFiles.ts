import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import type { DiagnosticSink } from './DiagnosticSink.ts';
import { readXml } from './xml/XmlReader.ts';
import type { XmlElement } from './xml/XmlTree.ts';

/** A board or fragment file that has been read. */
export interface SourceFile {
  /** The path as shown in messages (as the user gave it, includes joined to it). */
  readonly display: string;
  /** Absolute path, the identity of the file (for include cycles and caching). */
  readonly absolute: string;
  /** The root element; undefined when the XML is too broken to read. */
  readonly root?: XmlElement;
}

/** Where a path written in `from` (an include href, a firmware path) points. */
export function relativeTo(from: SourceFile, href: string): { display: string; absolute: string } {
  if (isAbsolute(href)) return { display: href, absolute: normalize(href) };
  return { display: normalize(join(dirname(from.display), href)), absolute: resolve(dirname(from.absolute), href) };
}

/**
 * Reads files once each: a fragment included several times (not a cycle) is parsed once,
 * and its XML errors are reported once.
 */
export class SourceFiles {
  private readonly files = new Map<string, SourceFile>();

  constructor(private readonly sink: DiagnosticSink) {}

  /** A file from text already in memory (the top-level file of parseBoardText). */
  fromText(text: string, display: string, absolute: string): SourceFile {
    const { root, diagnostics } = readXml(text, display);
    this.sink.add(diagnostics);
    const file: SourceFile = { display, absolute, root };
    this.files.set(absolute, file);
    return file;
  }

  /** The file at `absolute`, or the reason it cannot be read (e.g. "no such file"). */
  load(display: string, absolute: string): SourceFile | { readonly error: string } {
    const known = this.files.get(absolute);
    if (known !== undefined) return known;
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : `cannot read it (${code ?? String(e)})` };
    }
    return this.fromText(text, display, absolute);
  }
}
