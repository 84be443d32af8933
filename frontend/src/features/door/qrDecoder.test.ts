import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeQr, loadQrDecoder } from "./qrDecoder";

const require = createRequire(import.meta.url);

/**
 * A frame as chromium handed it to the scanner in the door journey (the fake camera showing a
 * ticket QR): 640×480, 8-bit grey, gzipped. @zxing/library failed on every copy of it.
 */
const TICKET_FRAME = resolve(__dirname, "__fixtures__/ticket-qr-frame-640x480.gray.gz");
const TICKET_CODE =
  "BX1.AQHAEgOeVupPYJbQ5qoBw1_SeYOm4yf2Tby1lCprbGrHjQ.QG3NYzkWwGN4s4BPPeBrRKGMtXrcdYu2too70XugkW5Vi2mIBnQAp-ZrffZNds_inof01sEPz8JWA3Yc6Jr6CQ";

beforeAll(async () => {
  // Outside a browser there is no origin to fetch the .wasm from: hand the bytes over.
  const wasmBinary = readFileSync(require.resolve("zxing-wasm/reader/zxing_reader.wasm"));
  await loadQrDecoder({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.length) });
});

describe("QR decoder", () => {
  it("reads a ticket QR that @zxing/library could not (FormatException on every frame)", async () => {
    expect(await decodeQr(rgba(gunzipSync(readFileSync(TICKET_FRAME)), 640, 480))).toBe(TICKET_CODE);
  });

  it("answers null when no QR is in view", async () => {
    expect(await decodeQr(rgba(new Uint8Array(64 * 48).fill(120), 64, 48))).toBeNull();
  });
});

/** Grey pixels as the canvas hands them over: RGBA ImageData. */
function rgba(grey: Uint8Array, width: number, height: number): ImageData {
  const data = new Uint8ClampedArray(width * height * 4);
  grey.forEach((value, i) => data.set([value, value, value, 255], i * 4));
  return { width, height, data, colorSpace: "srgb" } as ImageData;
}
