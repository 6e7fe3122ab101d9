import type { Messages } from "../common/i18n.js";

/**
 * Each verification step in plain words, for when it held and when it did
 * not. The verifiers' own `detail` (technical, English) stays available
 * under "technical details".
 */
const steps: Record<string, [okZh: string, badZh: string, okEn: string, badEn: string]> = {
  recorded: ["日志中有记录此文件摘要的条目", "", "The log has an entry recording this file's digest", ""],
  "not-recorded": [
    "",
    "日志中没有任何条目记录此文件：它未经存证，或内容已被改动（哪怕一个字节）",
    "",
    "No entry in the log records this file: it was never deposited, or its content changed (even one byte)",
  ],
  "proof-format": [
    "证明文件格式正确 (c2sp.org/tlog-proof)",
    "证明文件格式不正确，无法验证",
    "The proof is well formed (c2sp.org/tlog-proof)",
    "The proof is malformed and cannot be checked",
  ],
  entry: [
    "日志条目完整、格式正确",
    "日志条目格式错误或与证明不符",
    "The log entry is complete and well formed",
    "The log entry is malformed or does not match the proof",
  ],
  digest: [
    "文件摘要与记录一致",
    "文件摘要与记录不一致",
    "The file's digest matches the record",
    "The file's digest does not match the record",
  ],
  checkpoint: [
    "日志检查点由受信任的日志密钥签名",
    "日志检查点的签名不可信",
    "The log checkpoint is signed by the trusted log key",
    "The log checkpoint's signature is not trusted",
  ],
  witnesses: [
    "见证节点（如法院）联署满足信任策略",
    "见证节点联署不足，未满足信任策略",
    "Witness (e.g. court) cosignatures satisfy the trust policy",
    "Too few witness cosignatures for the trust policy",
  ],
  inclusion: [
    "该记录确实包含在已签名的日志中（默克尔包含证明成立）",
    "包含证明不成立：该记录不在已签名的日志中",
    "The record is in the signed log (the Merkle inclusion proof holds)",
    "The inclusion proof fails: the record is not in the signed log",
  ],
  "matches-evidence": [
    "文件与链接中的证据编号对应",
    "文件与链接中的证据编号不对应",
    "The file matches the evidence ID in the link",
    "The file does not match the evidence ID in the link",
  ],
  "pdf-structure": [
    "PDF 文件结构完整可读",
    "PDF 文件已损坏或无法读取",
    "The PDF is complete and readable",
    "The PDF is damaged or unreadable",
  ],
  "signature-present": ["", "PDF 中没有电子签章", "", "The PDF carries no signature"],
  "byte-range": [
    "电子签章覆盖整个文件，签章后未被追加或修改",
    "签章之后文件被追加或修改过",
    "The signature covers the whole file: nothing was added or changed after sealing",
    "The file was extended or changed after it was sealed",
  ],
  "sub-filter": [
    "签章类型为 PAdES (ETSI.CAdES.detached)",
    "签章类型不是 PAdES",
    "The signature is PAdES (ETSI.CAdES.detached)",
    "The signature is not PAdES",
  ],
  "cms-structure": [
    "签章数据结构正确",
    "签章数据无法解析",
    "The signature data is well formed",
    "The signature data cannot be read",
  ],
  "signer-certificate": [
    "找到签章证书",
    "找不到签章证书",
    "The signing certificate is present",
    "The signing certificate is missing",
  ],
  "content-type": [
    "签章内容类型正确",
    "签章内容类型错误",
    "The signed content type is correct",
    "The signed content type is wrong",
  ],
  "message-digest": [
    "文件内容与签章中的摘要一致",
    "文件内容与签章中的摘要不一致：文件被改动过",
    "The file content matches the digest in the signature",
    "The file content does not match the signature: it was changed",
  ],
  "signing-certificate-v2": [
    "签章绑定了签章证书",
    "签章未正确绑定证书",
    "The signature is bound to its certificate",
    "The signature is not bound to its certificate",
  ],
  "no-signing-time": [
    "签章未声明本地时间（时间以日志为准）",
    "签章声明了不受信任的时间",
    "The signature claims no local time (the log's time counts)",
    "The signature claims an untrusted time",
  ],
  "cms-signature": [
    "电子签章数学验证通过 (ECDSA P-256)",
    "电子签章数学验证失败",
    "The seal's signature verifies (ECDSA P-256)",
    "The seal's signature does not verify",
  ],
  "expected-certificate": [
    "签章证书是本平台公布的证书",
    "签章证书不是本平台公布的证书",
    "Signed with the certificate this service publishes",
    "Not signed with the certificate this service publishes",
  ],
  "seal-record": [
    "找到封存记录",
    "找不到封存记录",
    "The seal record is present",
    "The seal record is missing",
  ],
  "original-prefix": [
    "协议原文一字未改（原文字节完整保留在封存文件开头）",
    "协议原文在封存后被改动过",
    "The agreement's original bytes are unchanged at the start of the sealed file",
    "The original agreement was changed after sealing",
  ],
  "embedded-proof": [
    "文件内嵌了完整的存证证明 (notarium-proof.json)",
    "文件没有内嵌存证证明（并非 Notarium 封存的文件，或文件不完整，例如未下载完）",
    "The file embeds its full proof (notarium-proof.json)",
    "The file embeds no proof (not sealed by Notarium, or incomplete, e.g. not fully downloaded)",
  ],
  "package-format": [
    "内嵌证明格式正确",
    "内嵌证明格式错误",
    "The embedded proof is well formed",
    "The embedded proof is malformed",
  ],
  proof: ["", "内嵌证明中有条目未通过验证", "", "An entry of the embedded proof does not verify"],
  proofs: [
    "案件的每条记录都在已签名的日志中，已逐一验证",
    "",
    "Every record of the case is in the signed log, each one checked",
    "",
  ],
  agreement: [
    "找到协议登记记录",
    "没有协议登记记录",
    "The agreement's registration is recorded",
    "No registration of the agreement",
  ],
  "original-is-registered": [
    "封存文件中的原文正是登记的协议",
    "封存文件中的原文不是登记的协议",
    "The original inside the sealed file is the registered agreement",
    "The original inside the sealed file is not the registered agreement",
  ],
  signature: ["", "有当事人的签名无法验证", "", "A party's signature does not verify"],
  signatures: [
    "各方当事人均已用自己的密钥签署，签名全部有效 (Ed25519)",
    "尚有当事人未签署",
    "Every party signed with its own key, and every signature is valid (Ed25519)",
    "Some party has not signed",
  ],
  "seal-recorded": [
    "日志记录了对这个文件的封存",
    "日志中没有这个文件的封存记录",
    "The log records the sealing of this very file",
    "The log has no record of sealing this file",
  ],
};

/** `check.<name>.ok` / `check.<name>.bad` for every known step. */
export const checkMessages: Messages = Object.fromEntries(
  Object.entries(steps).flatMap(([name, [okZh, badZh, okEn, badEn]]) => [
    [`check.${name}.ok`, [okZh, okEn]],
    [`check.${name}.bad`, [badZh, badEn]],
  ]),
);

/** The message key for a step, or undefined when the step has no plain-words text. */
export function checkKey(name: string, ok: boolean): string | undefined {
  const base = name.startsWith("proof-") && !(name in steps) ? name.slice(6) : name;
  const pair = steps[base];
  if (!pair) return undefined;
  return (ok ? pair[0] : pair[1]) ? `check.${base}.${ok ? "ok" : "bad"}` : undefined;
}
