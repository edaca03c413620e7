import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF that headless Chromium printed, for tests that check what is on paper. Skia
 * writes each font as Type0 with a ToUnicode CMap and shows text as hex glyph ids (`<0012> Tj`,
 * `[<..> 3 <..>] TJ`); this reads objects and streams with plain regular expressions, follows each
 * page's font resources to their CMaps and decodes the glyph runs. Enough for Chromium's output,
 * not a general PDF reader.
 */
export function pdfText(pdf: Buffer): string {
	const raw = pdf.toString('latin1');
	const objects = new Map<string, { dict: string; stream: Buffer | null }>();
	for (const m of raw.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
		const body = m[2] ?? '';
		const s = /^([\s\S]*?)stream\r?\n/.exec(body);
		let stream: Buffer | null = null;
		let dict = body;
		if (s) {
			dict = s[1] ?? '';
			const start = (m.index ?? 0) + m[0].indexOf(s[0]) + s[0].length;
			const len = /\/Length (\d+)(?! 0 R)/.exec(dict);
			const end = len ? start + Number(len[1]) : raw.indexOf('endstream', start);
			const bytes = pdf.subarray(start, end);
			stream = /FlateDecode/.test(dict) ? inflateSync(bytes) : bytes;
		}
		objects.set(m[1] ?? '', { dict, stream });
	}
	const cmaps = new Map<string, Map<number, string>>();
	const cmapOf = (fontRef: string): Map<number, string> => {
		const hit = cmaps.get(fontRef);
		if (hit) return hit;
		const map = new Map<number, string>();
		const tu = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontRef)?.dict ?? '');
		const text = tu ? (objects.get(tu[1] ?? '')?.stream?.toString('latin1') ?? '') : '';
		const hex = (h: string) => String.fromCodePoint(...(h.match(/.{4}/g) ?? []).map((x) => parseInt(x, 16)));
		for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
			for (const p of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(p[1] ?? '0', 16), hex(p[2] ?? ''));
		}
		for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
			for (const p of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
				const lo = parseInt(p[1] ?? '0', 16);
				const first = parseInt(p[3] ?? '0', 16);
				for (let c = lo; c <= parseInt(p[2] ?? '0', 16); c++) map.set(c, String.fromCodePoint(first + c - lo));
			}
		}
		cmaps.set(fontRef, map);
		return map;
	};
	const out: string[] = [];
	for (const { dict } of objects.values()) {
		if (!/\/Type\s*\/Page\b/.test(dict)) continue;
		const fonts = new Map<string, string>();
		const resources = /\/Resources (\d+) 0 R/.exec(dict);
		const resDict = resources ? (objects.get(resources[1] ?? '')?.dict ?? '') : dict;
		const fontBlock = /\/Font\s*<<([\s\S]*?)>>/.exec(resDict)?.[1] ?? '';
		for (const f of fontBlock.matchAll(/\/(\w+) (\d+) 0 R/g)) fonts.set(f[1] ?? '', f[2] ?? '');
		const contents = /\/Contents (\d+) 0 R/.exec(dict);
		const content = contents ? (objects.get(contents[1] ?? '')?.stream?.toString('latin1') ?? '') : '';
		let cmap = new Map<number, string>();
		for (const op of content.matchAll(/\/(\w+) [\d.]+ Tf|(\[(?:[^\]]*)\]\s*TJ|<[0-9a-fA-F]*>\s*Tj)|(ET)/g)) {
			if (op[1]) cmap = cmapOf(fonts.get(op[1]) ?? '');
			else if (op[2]) {
				for (const h of op[2].matchAll(/<([0-9a-fA-F]*)>/g)) {
					for (const g of (h[1] ?? '').match(/.{4}/g) ?? []) out.push(cmap.get(parseInt(g, 16)) ?? '');
				}
			} else if (op[3]) out.push(' ');
		}
		out.push('\n');
	}
	return out.join('');
}
