import { describe, expect, it } from "vitest";
import { isProblem, problemMessage } from "./client";

describe("problemMessage", () => {
  it("prefers the problem's detail, then its title", () => {
    expect(
      problemMessage({ type: "about:blank", title: "Conflict", status: 409, code: "sold_out", detail: "Only 2 tickets left." }),
    ).toBe("Only 2 tickets left.");
    expect(problemMessage({ type: "about:blank", title: "Event not found", status: 404, code: "not_found", detail: null })).toBe(
      "Event not found",
    );
  });

  it("lists field errors", () => {
    expect(
      problemMessage({
        type: "about:blank",
        title: "Invalid request",
        status: 422,
        code: "validation_error",
        errors: [
          { field: "email", message: "is not a valid address" },
          { field: "quantity", message: "must be at least 1" },
        ],
      }),
    ).toBe("Invalid request (email: is not a valid address; quantity: must be at least 1)");
  });

  it("falls back to a message by status for non-problem bodies", () => {
    expect(problemMessage("<html>Bad gateway</html>", 502)).toBe(
      "Something went wrong on our side. Please try again in a moment.",
    );
    expect(problemMessage(undefined, 429)).toMatch(/Too many requests/);
    expect(problemMessage(null)).toBe("Something went wrong. Please try again.");
  });

  it("recognises problem bodies", () => {
    expect(isProblem({ title: "x", status: 400 })).toBe(true);
    expect(isProblem({ message: "x" })).toBe(false);
    expect(isProblem(null)).toBe(false);
  });
});
