import * as fontkit from "fontkit";
import { readFileSync } from "node:fs";
let t=performance.now();
const buf = readFileSync("node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Bold.otf");
const f = fontkit.create(new Uint8Array(buf));
console.log("parse", performance.now()-t, f.postscriptName, f.numGlyphs, !!f.cff, f.unitsPerEm, f.cff?.isCIDFont);
t=performance.now();
const run = f.layout("示例人民调解委员会 调解协议 电子签章 NTR-ABC123 SHA-256 0123456789abcdef 张三 李四 申请人 被申请人 2026-11-26");
const s = f.createSubset(); for (const g of run.glyphs) s.includeGlyph(g);
const out = s.encode();
console.log("subset", performance.now()-t, out.length, out.slice(0,4));
t=performance.now();
const run2 = f.layout("示例人民调解委员会");
console.log("layout2", performance.now()-t, run2.glyphs.map(g=>g.id));
console.log(process.memoryUsage().rss/1e6);
for (let k=0;k<3;k++){
t=performance.now();
const run3 = f.layout("示例人民调解委员会 调解协议 电子签章 NTR-XYZ 王五 赵六 2027");
const s3 = f.createSubset(); for (const g of run3.glyphs) s3.includeGlyph(g);
const out3 = s3.encode();
console.log("subset again", performance.now()-t, out3.length);
}
