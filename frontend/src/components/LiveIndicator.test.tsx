import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { LiveIndicator } from "./LiveIndicator";

describe("LiveIndicator", () => {
  it("says the state in words, as a polite status", () => {
    const { rerender } = render(<LiveIndicator status="live" />);
    const pill = screen.getByRole("status");
    expect(pill).toHaveTextContent(/^Live$/);
    expect(pill).toHaveAttribute("aria-live", "polite");
    expect(pill).toHaveAttribute("data-state", "live");
    // The pulse is decoration, and stops for people who ask for less motion.
    const pulse = pill.querySelector(".animate-ping");
    expect(pulse).toHaveClass("motion-reduce:hidden");
    expect(pulse?.closest("[aria-hidden=true]")).not.toBeNull();

    rerender(<LiveIndicator status="reconnecting" />);
    expect(screen.getByRole("status")).toHaveTextContent("Reconnecting…");
    expect(screen.getByRole("status").querySelector(".animate-ping")).toBeNull();

    rerender(<LiveIndicator status="offline" />);
    expect(screen.getByRole("status")).toHaveTextContent("Offline");
    expect(screen.getByRole("status")).toHaveAttribute("title", expect.stringMatching(/paused/));

    rerender(<LiveIndicator status="connecting" />);
    expect(screen.getByRole("status")).toHaveTextContent("Connecting…");
  });

  it("shows nothing where live updates are not offered", () => {
    render(<LiveIndicator status="unavailable" />);
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });
});
