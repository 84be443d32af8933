import type { ReactNode } from "react";
import { LoadingButton } from "./LoadingButton";
import { TextField } from "./TextField";

type Props = {
  searchLabel: string;
  placeholder: string;
  /** The text being typed; searched for (trimmed) on submit. */
  query: string;
  onQueryChange: (query: string) => void;
  onSearch: (query: string) => void;
  /** A search is running (the button shows it). */
  searching: boolean;
  className?: string;
  /** The filter beside the search box: a SelectField that applies on change. */
  children: ReactNode;
};

/** A list's search row: text search, one filter, a Search button; stacked on small screens. */
export function SearchWithFilter({ searchLabel, placeholder, query, onQueryChange, onSearch, searching, className = "", children }: Props) {
  return (
    <form
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(query.trim());
      }}
      className={`grid grid-cols-1 gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-end ${className}`}
    >
      <TextField
        label={searchLabel}
        type="search"
        value={query}
        onChange={(e) => onQueryChange(e.target.value)}
        placeholder={placeholder}
        autoComplete="off"
        className="h-11"
      />
      {children}
      <LoadingButton type="submit" className="sm:h-11" loading={searching}>
        Search
      </LoadingButton>
    </form>
  );
}
