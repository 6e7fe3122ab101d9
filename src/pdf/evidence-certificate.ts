import { PDFDocument, type PDFFont, type PDFPage, rgb } from "pdf-lib";
import type { Clock } from "../core/clock.js";
import type { EvidenceCertificateFacts } from "../ledger/certificate-facts.js";
import { fontkitAdapter } from "./seal-font.js";
import { formatSealTime } from "./seal-spec.js";

const A4: [number, number] = [595.28, 841.89];
const RED = rgb(0.72, 0.08, 0.08);
const GREY = rgb(0.35, 0.35, 0.35);

/** Breaks a long token (a hash, a key) into lines that fit `width`. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const ch of text) {
    if (font.widthOfTextAtSize(line + ch, size) > width) {
      out.push(line);
      line = "";
    }
    line += ch;
  }
  if (line) out.push(line);
  return out;
}

/**
 * Draws the certificate page (Chinese first, with English), unsigned and
 * unsealed: the caller seals it like an agreement (visible seal with QR code,
 * embedded proof, PAdES signature). Deterministic for the same facts and clock.
 */
export async function drawEvidenceCertificate(
  facts: EvidenceCertificateFacts,
  font: Uint8Array,
  clock: Clock,
): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkitAdapter);
  const f = await doc.embedFont(font, { subset: true });
  const now = clock.now();
  doc.setCreationDate(now);
  doc.setModificationDate(now);
  doc.setTitle(`存证证书 Evidence certificate ${facts.evidenceId}`);
  doc.setProducer("Notarium");
  doc.setCreator("Notarium");
  const page: PDFPage = doc.addPage(A4);
  const left = 64;
  const labelWidth = 150;
  const valueWidth = A4[0] - left * 2 - labelWidth;
  let y = A4[1] - 80;
  const center = (text: string, size: number, color = rgb(0, 0, 0)) => {
    page.drawText(text, { x: (A4[0] - f.widthOfTextAtSize(text, size)) / 2, y, size, font: f, color });
  };
  center("电子数据存证证书", 22, RED);
  y -= 26;
  center("Certificate of Electronic Evidence Deposit", 12, GREY);
  y -= 22;
  page.drawLine({ start: { x: left, y }, end: { x: A4[0] - left, y }, thickness: 1, color: RED });
  y -= 26;

  const row = (zh: string, en: string, value: string, mono = false) => {
    page.drawText(zh, { x: left, y, size: 10.5, font: f });
    page.drawText(en, { x: left, y: y - 12, size: 7.5, font: f, color: GREY });
    const lines = mono ? wrap(value, f, 8, valueWidth) : wrap(value, f, 10, valueWidth);
    let vy = y;
    for (const l of lines) {
      page.drawText(l, { x: left + labelWidth, y: vy, size: mono ? 8 : 10, font: f });
      vy -= 13;
    }
    y = Math.min(y - 30, vy - 10);
  };
  row("证据编号", "Evidence ID", facts.evidenceId);
  if (facts.title) row("标题", "Title", facts.title);
  row("存证类型", "Entry type", facts.entryType);
  if (facts.sha256) row("文件摘要 (SHA-256)", "File digest", facts.sha256, true);
  if (facts.size !== undefined) row("文件大小", "Size", `${facts.size.toLocaleString("en-US")} 字节 bytes`);
  row("交易哈希", "Transaction hash (leaf hash)", facts.txHash, true);
  row("区块高度 / 序号", "Block height / index", `${facts.blockHeight} / ${facts.index}`);
  row("存证时间", "Recorded at", `${formatSealTime(new Date(facts.recordedAt), 480)}  (${facts.recordedAt})`);
  row("日志", "Log (origin)", facts.origin, true);
  row("签名检查点", "Signed checkpoint", `树大小 size ${facts.treeSize}，根 root ${facts.root}`, true);
  row(
    "法院见证",
    "Court cosignatures",
    facts.cosignatures.length
      ? facts.cosignatures.map((c) => `${c.witness}  ${c.time}`).join("；")
      : facts.witnessesConfigured
        ? "尚未见证 not yet cosigned (newer than the courts' last cosigned checkpoint)"
        : "无 none (the log has no witnesses configured)",
  );
  y -= 6;
  page.drawText("独立核验方法 How to check this independently", {
    x: left,
    y,
    size: 11,
    font: f,
    color: RED,
  });
  y -= 18;
  const steps = [
    `1. 计算原始文件的 SHA-256，应与上面的文件摘要一致。Compute the file's SHA-256; it must equal the digest above.`,
    `2. 下载证明 Download the proof: ${facts.proofUrl}`,
    `3. notarium verify FILE --proof ${facts.evidenceId}.tlog-proof --key "${facts.verifierKey}"`,
    `4. 或扫描二维码，在核验页面检查。Or scan the QR code: ${facts.verifyUrl}`,
    "该证明采用 RFC 6962 默克尔树与 C2SP 签名检查点，任何独立实现均可核验。",
    "The proof uses an RFC 6962 Merkle tree and C2SP signed checkpoints: any independent implementation can check it.",
  ];
  for (const s of steps) {
    for (const l of wrap(s, f, 8.5, A4[0] - left * 2)) {
      page.drawText(l, { x: left, y, size: 8.5, font: f });
      y -= 12;
    }
    y -= 3;
  }
  return doc.save({ useObjectStreams: false, updateFieldAppearances: false });
}
