import { decodeQr, loadQrDecoder } from "./qrDecoder";

export interface CameraDevice {
  deviceId: string;
  label: string;
}

export interface RunningScanner {
  /** Stops scanning and releases the camera (its light goes off). Safe to call twice. */
  stop(): void;
  /** The camera actually in use, when the browser says. */
  deviceId: string | null;
}

/** Wait between looks at the camera, and after a hit (the caller de-duplicates repeated hits). */
const SCAN_EVERY_MS = 100;
const AFTER_HIT_MS = 250;
/** Larger frames cost more to copy than they add to reading a QR held up to a phone. */
const MAX_FRAME_SIDE = 1280;

/** Thrown when the camera works but the QR decoder could not be loaded. */
export class DecoderUnavailable extends Error {
  override name = "DecoderUnavailable";
}

/**
 * Opens the camera (`deviceId`, or the back camera when empty) into `video` and reports every QR
 * code it reads to `onDecode`, repeatedly while a code stays in view. Rejects with the
 * `getUserMedia` error (NotAllowedError, NotFoundError, ...) or {@link DecoderUnavailable}.
 */
export async function startQrScanner({
  video,
  deviceId,
  onDecode,
}: {
  video: HTMLVideoElement;
  deviceId: string;
  onDecode: (text: string) => void;
}): Promise<RunningScanner> {
  const decoderLoading = loadQrDecoder();
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: deviceId
      ? { deviceId: { exact: deviceId } }
      : { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
  });

  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    // Only detach our own stream: a newer scanner may already be showing in this element.
    if (video.srcObject === stream) video.srcObject = null;
  };

  try {
    video.srcObject = stream;
    await video.play();
    await decoderLoading.catch((error: unknown) => {
      throw new DecoderUnavailable(error instanceof Error ? error.message : String(error));
    });
  } catch (error) {
    stop();
    throw error;
  }

  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) {
    stop();
    throw new DecoderUnavailable("no 2D canvas");
  }

  // One frame at a time, sized afresh each time: the camera may change resolution mid-stream
  // (a rotated phone), and a frame that cannot be read is simply a miss.
  const scanOnce = async () => {
    if (stopped) return;
    let hit = false;
    const { videoWidth, videoHeight } = video;
    if (videoWidth > 0 && videoHeight > 0) {
      const scale = Math.min(1, MAX_FRAME_SIDE / Math.max(videoWidth, videoHeight));
      const width = Math.round(videoWidth * scale);
      const height = Math.round(videoHeight * scale);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      try {
        context.drawImage(video, 0, 0, width, height);
        const text = await decodeQr(context.getImageData(0, 0, width, height));
        if (text && !stopped) {
          hit = true;
          onDecode(text);
        }
      } catch {
        // A frame the browser could not hand over (e.g. mid-resize): try the next one.
      }
    }
    if (!stopped) timer = setTimeout(() => void scanOnce(), hit ? AFTER_HIT_MS : SCAN_EVERY_MS);
  };
  void scanOnce();

  return { stop, deviceId: stream.getVideoTracks()[0]?.getSettings().deviceId ?? null };
}

/** The cameras on this device; labels are only filled in once camera permission is granted. */
export async function listCameras(): Promise<CameraDevice[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === "videoinput")
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}
