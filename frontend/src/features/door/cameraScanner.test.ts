import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { listCameras, startQrScanner } from "./cameraScanner";

/** The decoder itself is tested on real pixels in qrDecoder.test.ts; here it reads what we say. */
const decoder = vi.hoisted(() => ({ text: null as string | null, loadError: null as Error | null, frames: 0 }));
vi.mock("./qrDecoder", () => ({
  loadQrDecoder: () => (decoder.loadError ? Promise.reject(decoder.loadError) : Promise.resolve()),
  decodeQr: () => {
    decoder.frames += 1;
    return Promise.resolve(decoder.text);
  },
}));

class FakeTrack {
  stopped = false;
  constructor(private readonly deviceId: string) {}
  stop() {
    this.stopped = true;
  }
  getSettings() {
    return { deviceId: this.deviceId };
  }
}

function fakeStream(deviceId = "back-1") {
  const track = new FakeTrack(deviceId);
  return { track, stream: { getTracks: () => [track], getVideoTracks: () => [track] } as unknown as MediaStream };
}

function fakeVideo(width = 640, height = 480): HTMLVideoElement {
  const video = document.createElement("video");
  Object.defineProperty(video, "videoWidth", { value: width });
  Object.defineProperty(video, "videoHeight", { value: height });
  video.play = () => Promise.resolve();
  return video;
}

let getUserMedia: ReturnType<typeof vi.fn>;

beforeEach(() => {
  decoder.text = null;
  decoder.loadError = null;
  decoder.frames = 0;
  getUserMedia = vi.fn();
  const enumerateDevices = vi.fn(() =>
    Promise.resolve([
      { kind: "audioinput", deviceId: "mic", label: "Microphone" },
      { kind: "videoinput", deviceId: "back-1", label: "Back camera" },
      { kind: "videoinput", deviceId: "front-1", label: "" },
    ]),
  );
  Object.defineProperty(navigator, "mediaDevices", { value: { getUserMedia, enumerateDevices }, configurable: true });
  // jsdom has no canvas: a context that hands over blank pixels is all the loop needs.
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockImplementation(
    () =>
      ({
        drawImage: () => undefined,
        getImageData: (_x: number, _y: number, w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
      }) as unknown as CanvasRenderingContext2D,
  );
});

afterEach(() => {
  vi.restoreAllMocks();
  delete (navigator as { mediaDevices?: unknown }).mediaDevices;
});

describe("camera scanner", () => {
  it("asks for the back camera, shows it and reports the codes it reads", async () => {
    const { stream, track } = fakeStream();
    getUserMedia.mockResolvedValue(stream);
    const video = fakeVideo();
    const seen: string[] = [];
    decoder.text = "BX1.code";

    const scanner = await startQrScanner({ video, deviceId: "", onDecode: (text) => seen.push(text) });

    expect(getUserMedia).toHaveBeenCalledWith({
      audio: false,
      video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    expect(video.srcObject).toBe(stream);
    expect(scanner.deviceId).toBe("back-1");
    await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(2));
    expect(new Set(seen)).toEqual(new Set(["BX1.code"]));

    scanner.stop();
    expect(track.stopped).toBe(true);
    expect(video.srcObject).toBeNull();
    const framesAtStop = decoder.frames;
    await new Promise((r) => setTimeout(r, 300));
    expect(decoder.frames).toBe(framesAtStop);
  });

  it("opens exactly the chosen camera", async () => {
    getUserMedia.mockResolvedValue(fakeStream("front-1").stream);
    const scanner = await startQrScanner({ video: fakeVideo(), deviceId: "front-1", onDecode: () => undefined });
    expect(getUserMedia).toHaveBeenCalledWith({ audio: false, video: { deviceId: { exact: "front-1" } } });
    expect(scanner.deviceId).toBe("front-1");
    scanner.stop();
  });

  it("keeps looking while nothing is in view, without reporting anything", async () => {
    getUserMedia.mockResolvedValue(fakeStream().stream);
    const onDecode = vi.fn();
    const scanner = await startQrScanner({ video: fakeVideo(), deviceId: "", onDecode });
    await vi.waitFor(() => expect(decoder.frames).toBeGreaterThanOrEqual(3));
    expect(onDecode).not.toHaveBeenCalled();
    scanner.stop();
  });

  it("passes on the browser's refusal", async () => {
    getUserMedia.mockRejectedValue(new DOMException("Permission denied", "NotAllowedError"));
    await expect(startQrScanner({ video: fakeVideo(), deviceId: "", onDecode: () => undefined })).rejects.toMatchObject({
      name: "NotAllowedError",
    });
  });

  it("releases the camera and says so when the decoder cannot load", async () => {
    const { stream, track } = fakeStream();
    getUserMedia.mockResolvedValue(stream);
    decoder.loadError = new Error("fetch failed");
    const video = fakeVideo();
    await expect(startQrScanner({ video, deviceId: "", onDecode: () => undefined })).rejects.toMatchObject({
      name: "DecoderUnavailable",
    });
    expect(track.stopped).toBe(true);
    expect(video.srcObject).toBeNull();
  });

  it("leaves a newer scanner's stream in the video element when an older one stops", async () => {
    const first = fakeStream();
    const second = fakeStream();
    getUserMedia.mockResolvedValueOnce(first.stream).mockResolvedValueOnce(second.stream);
    const video = fakeVideo();
    const older = await startQrScanner({ video, deviceId: "", onDecode: () => undefined });
    const newer = await startQrScanner({ video, deviceId: "", onDecode: () => undefined });
    older.stop();
    expect(first.track.stopped).toBe(true);
    expect(video.srcObject).toBe(second.stream);
    newer.stop();
  });

  it("lists only cameras, naming the unnamed ones", async () => {
    expect(await listCameras()).toEqual([
      { deviceId: "back-1", label: "Back camera" },
      { deviceId: "front-1", label: "Camera 2" },
    ]);
  });
});
