import type { Messages } from "./i18n.js";

/** Words every page uses: header, footer, roles, entry types, statuses, common errors. */
export const commonMessages: Messages = {
  "app.name": ["Notarium 存证平台", "Notarium"],
  "app.tagline": ["电子存证 · 调解协议签署与核验", "Evidence notarization · mediation agreements"],
  "nav.main": ["主导航", "Main navigation"],
  "nav.skip": ["跳到正文", "Skip to content"],
  "nav.verify": ["核验文件", "Verify"],
  "nav.console": ["调解员工作台", "Mediator console"],
  "footer.local": [
    "所有核验均在您的浏览器中完成：文件不会上传，只发送其 SHA-256 摘要。",
    "Every check runs in your browser: files are never uploaded, only their SHA-256 digest is sent.",
  ],
  "footer.log": ["日志公钥", "Log key"],
  "footer.api": ["接口文档", "API reference"],
  "footer.checkpoint": ["日志检查点", "Log checkpoint"],
  "common.loading": ["正在加载…", "Loading…"],
  "common.close": ["关闭", "Close"],
  "common.copy": ["复制", "Copy"],
  "common.copied": ["已复制", "Copied"],
  "common.copyFailed": [
    "无法自动复制，请手动复制已选中的链接",
    "Could not copy: copy the selected link by hand",
  ],
  "common.download": ["下载", "Download"],
  "common.yes": ["是", "yes"],
  "common.no": ["否", "no"],
  "common.details": ["技术细节", "Technical details"],
  "common.error": ["出错了：{message}", "Something went wrong: {message}"],
  "common.network": [
    "无法连接服务，请检查网络后重试。",
    "The service cannot be reached; check the network and retry.",
  ],
  "role.applicant": ["申请人", "Applicant"],
  "role.respondent": ["被申请人", "Respondent"],
  "role.mediator": ["调解员", "Mediator"],
  "role.witness": ["见证人", "Witness"],
  "role.agent": ["代理人", "Agent"],
  "status.draft": ["草稿：待上传协议", "Draft: no agreement yet"],
  "status.signing": ["签署中", "Signing"],
  "status.signed": ["已全部签署，待封存", "Signed by all, ready to seal"],
  "status.sealed": ["已封存", "Sealed"],
  "entry.evidence.deposited": ["证据存证", "Evidence deposited"],
  "entry.agreement.registered": ["协议登记", "Agreement registered"],
  "entry.agreement.signed": ["当事人签署", "Party signed"],
  "entry.agreement.sealed": ["协议封存", "Agreement sealed"],
  "entry.identity.attested": ["身份核验", "Identity attested"],
  "entry.key.rotated": ["密钥轮换", "Key rotated"],
  "receipt.evidenceId": ["证据编号", "Evidence ID"],
  "receipt.index": ["日志序号", "Log index"],
  "receipt.block": ["区块高度", "Block height"],
  "receipt.recordedAt": ["记录时间", "Recorded at"],
  "receipt.txHash": ["交易哈希", "Transaction hash"],
  "receipt.type": ["记录类型", "Record type"],
  "receipt.title": ["标题", "Title"],
  "receipt.digest": ["文件摘要 (SHA-256)", "File digest (SHA-256)"],
  "receipt.certificate": ["存证证书 (PDF)", "Certificate (PDF)"],
  "receipt.proof": ["离线证明 (.tlog-proof)", "Offline proof (.tlog-proof)"],
  "receipt.proofOk": ["证明已在浏览器中验证", "Proof verified in this browser"],
  "receipt.proofBad": ["证明未通过验证", "The proof does not verify"],
  "receipt.cosigned": ["见证节点联署", "Witness cosignatures"],
  "receipt.noCosign": ["暂无见证节点联署", "No witness cosignatures"],
};

/** Plain-words name of a role; unknown roles show as given. */
export function roleKey(role: string): string {
  return commonMessages[`role.${role}`] ? `role.${role}` : role;
}
