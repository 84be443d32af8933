import { prepareZXingModule, readBarcodes, type ReaderOptions, type ZXingModuleOverrides } from "zxing-wasm/reader";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

/**
 * QR decoding with zxing-cpp (compiled to WebAssembly; the same decoder the backend tests read
 * emailed tickets with). It replaced @zxing/library, whose detector failed on about one ticket
 * QR in ten even in a sharp, still frame (the fixture next to the tests is one of them).
 */

const OPTIONS: ReaderOptions = { formats: ["QRCode"], maxNumberOfSymbols: 1, tryHarder: true };

/** The library fetches its .wasm from a CDN by default: our CSP forbids that, and door Wi-Fi may too. */
const SAME_ORIGIN: ZXingModuleOverrides = {
  locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? wasmUrl : prefix + path),
};

let ready: Promise<unknown> | null = null;

/**
 * Loads and compiles the decoder (about 1 MB, fetched once and cached by the browser). Call it
 * before scanning so that a decoder that cannot load is reported rather than silently never
 * reading anything. `overrides` exist for tests outside a browser (e.g. `wasmBinary`).
 */
export function loadQrDecoder(overrides: ZXingModuleOverrides = SAME_ORIGIN): Promise<unknown> {
  if (!ready) {
    ready = prepareZXingModule({ overrides, fireImmediately: true });
    ready.catch(() => {
      ready = null; // let the next attempt (the "Try the camera again" button) fetch it afresh
    });
  }
  return ready;
}

/** The text of the QR code in `image`, or null when there is none it can read. */
export async function decodeQr(image: ImageData | Uint8Array): Promise<string | null> {
  await loadQrDecoder();
  const [result] = await readBarcodes(image, OPTIONS);
  return result?.text || null;
}
