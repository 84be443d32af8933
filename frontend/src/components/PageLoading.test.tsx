import { act, render, screen } from "@testing-library/react";
import { createMemoryRouter, Link, Outlet, RouterProvider } from "react-router";
import { describe, expect, it } from "vitest";
import { NavigationProgress, PageLoadingFallback } from "./PageLoading";

describe("page loading", () => {
  it("shows a progress bar while the next page's code loads, keeping the current page", async () => {
    let finish: (page: { Component: () => JSX.Element }) => void = () => undefined;
    const router = createMemoryRouter([
      {
        path: "/",
        hydrateFallbackElement: <PageLoadingFallback />,
        element: (
          <>
            <NavigationProgress />
            <Outlet />
          </>
        ),
        children: [
          { index: true, element: <Link to="/later">Go</Link> },
          { path: "later", lazy: () => new Promise((resolve) => (finish = resolve)) },
        ],
      },
    ]);
    render(<RouterProvider router={router} />);

    act(() => screen.getByRole("link", { name: "Go" }).click());
    expect(await screen.findByRole("progressbar", { name: "Loading the page" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Go" })).toBeInTheDocument();

    await act(async () => finish({ Component: () => <h1>Later</h1> }));
    expect(await screen.findByRole("heading", { name: "Later" })).toBeInTheDocument();
    expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();
  });

  it("shows a loading message on a first visit straight to a page still downloading", async () => {
    const router = createMemoryRouter(
      [{ path: "/", hydrateFallbackElement: <PageLoadingFallback />, lazy: () => new Promise(() => undefined) }],
      { initialEntries: ["/"] },
    );
    render(<RouterProvider router={router} />);
    expect(await screen.findByRole("status")).toHaveTextContent("Loading…");
  });
});
