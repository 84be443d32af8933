import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import type { CameraDevice, RunningScanner } from "./cameraScanner";

export type { CameraDevice } from "./cameraScanner";

export type CameraProblem = "denied" | "missing" | "busy" | "insecure" | "unsupported" | "decoder" | "failed";

export type CameraState =
  | { status: "off" }
  | { status: "starting" }
  | { status: "on" }
  | { status: "error"; problem: CameraProblem; message: string };

const MESSAGES: Record<CameraProblem, string> = {
  denied:
    "Camera access is blocked. Allow the camera for this site in your browser's settings, then try again. You can still enter ticket codes below.",
  missing: "No camera was found on this device. You can still enter ticket codes below.",
  busy: "The camera is being used by another app or couldn't start. Close other apps that use the camera, then try again. You can still enter ticket codes below.",
  insecure:
    "The camera only works when Boxoffice is opened over a secure (https) connection. You can still enter ticket codes below.",
  unsupported: "This browser can't use the camera. You can still enter ticket codes below.",
  decoder:
    "The QR reader couldn't load. Check the connection and try again, or enter ticket codes below.",
  failed: "The camera couldn't start. Try again, or enter ticket codes below.",
};

/** Which of our messages fits a `getUserMedia` failure. */
export function cameraProblemOf(error: unknown): CameraProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
    case "SecurityError":
      return "denied";
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
      return "missing";
    case "DecoderUnavailable":
      return "decoder";
    case "NotReadableError":
    case "TrackStartError":
    case "AbortError":
      return "busy";
    default:
      return "failed";
  }
}

function problemState(problem: CameraProblem): CameraState {
  return { status: "error", problem, message: MESSAGES[problem] };
}

/**
 * Runs the camera into `videoRef` and reports every QR code it decodes (repeatedly while a code
 * stays in view: de-duplicating is the caller's job). Without `deviceId` it asks for the back
 * camera (`facingMode: "environment"`); the device list is known once permission is granted.
 */
export function useQrScanner({
  videoRef,
  enabled,
  deviceId,
  onDecode,
}: {
  videoRef: RefObject<HTMLVideoElement | null>;
  enabled: boolean;
  /** A device from `devices`; empty for "the back camera". */
  deviceId: string;
  onDecode: (text: string) => void;
}): { camera: CameraState; devices: CameraDevice[]; activeDeviceId: string | null; retry: () => void } {
  const [camera, setCamera] = useState<CameraState>({ status: enabled ? "starting" : "off" });
  const [devices, setDevices] = useState<CameraDevice[]>([]);
  const [activeDeviceId, setActiveDeviceId] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const decodeRef = useRef(onDecode);
  decodeRef.current = onDecode;

  useEffect(() => {
    const video = videoRef.current;
    if (!enabled || !video) {
      setCamera({ status: "off" });
      return;
    }
    if (typeof navigator === "undefined" || !navigator.mediaDevices?.getUserMedia) {
      // Browsers hide the camera API entirely on plain http (except localhost).
      setCamera(problemState(window.isSecureContext === false ? "insecure" : "unsupported"));
      return;
    }

    let cancelled = false;
    let scanner: RunningScanner | null = null;
    setCamera({ status: "starting" });
    const onDecode = (text: string) => {
      if (!cancelled) decodeRef.current(text);
    };

    async function start(video: HTMLVideoElement) {
      // Loaded on demand: the decoder is only needed at the door, not in everyone's first download.
      const { listCameras, startQrScanner } = await import("./cameraScanner");
      const running = await startQrScanner({ video, deviceId, onDecode });
      if (cancelled) {
        running.stop();
        return;
      }
      scanner = running;
      setCamera({ status: "on" });
      setActiveDeviceId(running.deviceId);
      try {
        // Labels are only filled in once the camera permission is granted, i.e. now.
        const cameras = await listCameras();
        if (!cancelled) setDevices(cameras);
      } catch {
        // Without a list there is no picker; the camera we have keeps working.
      }
    }

    start(video).catch((error: unknown) => {
      if (!cancelled) setCamera(problemState(cameraProblemOf(error)));
    });

    return () => {
      cancelled = true;
      scanner?.stop();
    };
  }, [videoRef, enabled, deviceId, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { camera, devices, activeDeviceId, retry };
}
