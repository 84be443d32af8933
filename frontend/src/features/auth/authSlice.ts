import { createSlice, type PayloadAction } from "@reduxjs/toolkit";

export interface AuthState {
  accessToken: string | null;
}

const initialState: AuthState = { accessToken: null };

export const authSlice = createSlice({
  name: "auth",
  initialState,
  reducers: {
    tokenReceived(state, action: PayloadAction<string>) {
      state.accessToken = action.payload;
    },
    loggedOut(state) {
      state.accessToken = null;
    },
  },
  selectors: {
    selectAccessToken: (state) => state.accessToken,
  },
});

export const { tokenReceived, loggedOut } = authSlice.actions;
export const { selectAccessToken } = authSlice.selectors;
