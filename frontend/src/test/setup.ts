import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import { installFakeSockets, uninstallFakeSockets } from "../realtime/testing";

// jsdom has no layout; React Router's <ScrollRestoration> calls this on navigation.
window.scrollTo = () => {};

// No test opens a real Socket.IO connection: pages get a fake that stays "connecting" unless the
// test plays the server (see src/realtime/testing.ts).
beforeEach(() => {
  installFakeSockets();
});

afterEach(() => {
  cleanup();
  uninstallFakeSockets();
});
