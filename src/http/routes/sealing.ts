import { z } from "zod";
import type { CaseServices } from "../../service/cases/context.js";
import type { PdfTools } from "../../service/cases/pdf-tools.js";
import { sealAgreement } from "../../service/cases/seal-agreement.js";
import { dockingInput, dockingVerifyParsed } from "../../service/docking-verify.js";
import { evidenceCertificate } from "../../service/evidence-certificate.js";
import type { AppDeps } from "../deps.js";
import { type AnyOperation, defineOperation } from "../operation.js";
import { hex64 } from "../schemas.js";
import { sendJsonBytes } from "../send-json.js";
import { caseIdParam } from "./case-schemas.js";

export interface SealingDeps {
  pdf: PdfTools;
  centreName: string;
  pages?: "last" | "all-edge";
}

function sendPdf(res: import("express").Response, bytes: Uint8Array, name: string, sha256?: string): void {
  res.setHeader("Content-Type", "application/pdf");
  res.setHeader("Content-Disposition", `attachment; filename="${name}"`);
  if (sha256) res.setHeader("X-Content-SHA256", sha256);
  res.setHeader("Content-Length", bytes.length);
  res.end(bytes);
}

const dockingAnswerSchema = z
  .object({
    results: z.array(
      z.object({
        valid: z.boolean(),
        sha256: hex64.optional().meta({
          description: "the digest asked about, or the one the entry records when asked by evidence ID",
        }),
        evidenceId: z.string().optional(),
        type: z.string().optional().meta({ description: "the entry's type, e.g. evidence.deposited" }),
        index: z.number().int().optional(),
        txHash: hex64.optional(),
        blockHeight: z.number().int().optional(),
        recordedAt: z.string().optional(),
        tlogProof: z.string().optional().meta({
          description: "c2sp.org/tlog-proof against the newest checkpoint the court witnesses cosigned",
        }),
        reason: z.string().optional().meta({ description: "why not valid" }),
      }),
    ),
    answeredAt: z.string(),
    signature: z
      .string()
      .meta({ description: "hex Ed25519 by the log key over the RFC 8785 JSON without it" }),
  })
  .meta({ id: "DockingAnswer" });

/** Sealing agreements and evidence certificates (DESIGN §7, issue 6), for the parts that need the PDF layer. */
export function sealingOperations(
  deps: AppDeps,
  cases: CaseServices | undefined,
  s: SealingDeps,
): AnyOperation[] {
  // The court witnesses' cosignatures: certificates name them, docking proofs use a quorum checkpoint.
  const witnessing = deps.witnessing;
  const ops: AnyOperation[] = [
    defineOperation({
      id: "getEvidenceCertificate",
      method: "get",
      path: "/api/v1/evidence/:id/certificate.pdf",
      tag: "evidence",
      summary: "Verification certificate (存证证书) of a deposit, sealed and signed",
      description:
        "Names the evidence ID, tx hash, block height, time, digest, checkpoint and court cosignatures, and how to check " +
        "them independently; sealed like an agreement (QR code to the verify page, receipt embedded, PAdES-signed).",
      params: z.object({ id: z.string().max(64) }),
      responses: { 200: { description: "the certificate", binary: "application/pdf" } },
      async handle({ params, res }) {
        const { pdf, receipt } = await evidenceCertificate(deps.ledger, params.id, {
          pdf: s.pdf,
          centreName: s.centreName,
          publicUrl: cases?.publicUrl ?? "",
          ...(witnessing?.enabled
            ? {
                checkpointFor: (i: number) => witnessing.checkpointFor(i),
                cosignatures: (note: string) => witnessing.cosignaturesOf(note),
              }
            : {}),
        });
        sendPdf(res, pdf, `${receipt.evidenceId}-certificate.pdf`);
      },
    }),
    defineOperation({
      id: "dockingVerify",
      method: "post",
      path: "/api/v1/docking/verify",
      tag: "docking",
      summary: "Court batch check of evidence IDs or digests, answer signed by the log key",
      description:
        "Up to 1,000 items, each `{sha256}` or `{evidenceId}`. `signature` is the hex Ed25519 signature by the log key over " +
        "the RFC 8785 canonical JSON of the answer without `signature`, so a court can keep the answer and re-check it.",
      roles: ["court"],
      body: dockingInput,
      responses: {
        200: {
          description: "one result per item, in order",
          json: dockingAnswerSchema,
        },
      },
      async handle({ body, res }) {
        const { json } = await dockingVerifyParsed(deps.ledger, body, {
          clock: deps.clock,
          ...(witnessing ? { checkpointFor: (i: number) => witnessing.checkpointFor(i) } : {}),
        });
        sendJsonBytes(res, json); // the signed bytes themselves, not a second serialization
      },
    }),
  ];
  if (cases) {
    ops.push(
      defineOperation({
        id: "sealAgreement",
        method: "post",
        path: "/api/v1/cases/:id/seal",
        tag: "cases",
        summary: "Seal the fully signed agreement and download it",
        description:
          "The registered PDF with the visible e-seal, the case package embedded as notarium-proof.json and a PAdES signature " +
          "(ECDSA P-256), appended so the registered bytes stay a prefix; records `agreement.sealed`. Sealing again returns the same file. " +
          "409 `SIGNATURES_MISSING` while a party has not signed.",
        caseScoped: true,
        roles: ["mediator"],
        params: z.object({ id: caseIdParam }),
        query: z
          .object({
            pages: z.enum(["last", "all-edge"]).optional().meta({
              description:
                "`last` (default): the seal on the last page; `all-edge`: also a 骑缝章 strip on every page's edge",
            }),
          })
          .strict(),
        responses: { 200: { description: "the sealed agreement", binary: "application/pdf" } },
        errors: { 409: "SIGNATURES_MISSING or AGREEMENT_MISSING" },
        async handle({ params, query, res }) {
          const pages = query.pages ?? s.pages;
          const sealed = await sealAgreement(cases, params.id, {
            pdf: s.pdf,
            centreName: s.centreName,
            ...(pages ? { pages } : {}),
          });
          sendPdf(res, sealed.pdf, `${params.id}-sealed.pdf`, sealed.sha256);
        },
      }),
    );
  }
  return ops;
}
