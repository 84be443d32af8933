import type { components, paths } from "../../api/schema";
import { authApi, type UserId } from "../auth/authApi";

export type MailRead = components["schemas"]["MailRead"];

const MAIL_MINE = "/api/mail/mine" satisfies keyof paths;

export const accountApi = authApi.injectEndpoints({
  endpoints: (build) => ({
    /** Mail addressed to the signed-in person; 404 `outbox_disabled` when real email is on. */
    myMail: build.query<MailRead[], UserId>({
      query: () => MAIL_MINE,
      providesTags: ["Mail"],
    }),
  }),
});

export const { useMyMailQuery } = accountApi;
