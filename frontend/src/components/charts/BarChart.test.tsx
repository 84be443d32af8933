import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { BarChart } from "./BarChart";
import { HorizontalBars } from "./HorizontalBars";
import { timeSeries } from "./series";

const data = [
  { key: "a", label: "1 Feb", fullLabel: "Sat, 1 Feb 2030", value: 3 },
  { key: "b", label: "2 Feb", fullLabel: "Sun, 2 Feb 2030", value: 0 },
  { key: "c", label: "3 Feb", fullLabel: "Mon, 3 Feb 2030", value: 7 },
];

describe("BarChart", () => {
  it("renders a bar per datum, a summary for screen readers and the data as a table", () => {
    const { container } = render(<BarChart title="Bookings per day" data={data} valueLabel="Bookings" />);
    expect(container.querySelectorAll("rect")).toHaveLength(3);
    const image = screen.getByRole("img");
    expect(image).toHaveAccessibleName(/Bookings per day: 3 bars from Sat, 1 Feb 2030 to Mon, 3 Feb 2030; total 10; highest 7 on Mon, 3 Feb 2030/);

    const table = screen.getByRole("table", { name: "Bookings per day" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(4); // header + 3
    expect(within(rows[3]!).getByRole("rowheader")).toHaveTextContent("Mon, 3 Feb 2030");
    expect(rows[3]).toHaveTextContent("7");
    expect(within(table).getByRole("columnheader", { name: "Bookings" })).toBeInTheDocument();
  });

  it("reveals the table on request and formats values", async () => {
    render(<BarChart title="Revenue" data={data} formatValue={(v) => `€${v}.00`} />);
    const toggle = screen.getByRole("button", { name: "Show table" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await userEvent.click(toggle);
    expect(screen.getByRole("button", { name: "Hide table" })).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByRole("table", { name: "Revenue" })).toHaveTextContent("€7.00");
  });

  it("says so when there is nothing to show", () => {
    render(<BarChart title="Bookings per day" data={[]} emptyText="No sales yet." />);
    expect(screen.getByText("No sales yet.")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });
});

describe("HorizontalBars", () => {
  it("lists each row with its value text", () => {
    render(<HorizontalBars title="Tickets sold per type" rows={[{ key: "1", label: "VIP", value: 4, max: 10, valueText: "4 / 10" }]} />);
    const list = screen.getByRole("list");
    expect(within(list).getByRole("listitem")).toHaveTextContent("VIP4 / 10");
  });
});

describe("timeSeries", () => {
  it("sums per local day and fills the gaps", () => {
    const items = [
      { at: new Date(2030, 1, 1, 10).toISOString(), n: 2 },
      { at: new Date(2030, 1, 1, 18).toISOString(), n: 1 },
      { at: new Date(2030, 1, 4, 9).toISOString(), n: 5 },
    ];
    const { data, unit } = timeSeries(items, (i) => i.at, (i) => i.n, { locale: "en-GB" });
    expect(unit).toBe("day");
    expect(data.map((d) => d.value)).toEqual([3, 0, 0, 5]);
    expect(data[0]!.label).toBe("1 Feb");
  });

  it("switches to weeks for long spans", () => {
    const items = [{ at: new Date(2030, 0, 1).toISOString() }, { at: new Date(2030, 5, 1).toISOString() }];
    const { data, unit } = timeSeries(items, (i) => i.at, () => 1);
    expect(unit).toBe("week");
    expect(data.reduce((s, d) => s + d.value, 0)).toBe(2);
    expect(data.length).toBeLessThan(30);
  });
});
