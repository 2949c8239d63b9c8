import { expect, Page } from "@playwright/test";

/** The demonstration accounts that `fuhua serve --demo` creates, and their password. */
export const DEMO_PASSWORD = "fuhua-demo-2026";
export const ACCOUNTS = {
  admin: "admin@demo.fuhua.cn",
  bureau: "bureau@demo.fuhua.cn",
  operator: "operator@demo.fuhua.cn",
  startup: "startup@demo.fuhua.cn",
};

/** Opens `path` and waits until the WebAssembly has hydrated the page. */
export async function openHydrated(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
}

/** Signs in through the sign-in form (in whichever language the page is in). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.locator("#field-email").fill(email);
  await page.locator("#field-password").fill(password);
  await page.locator("form[action='/api/login'] button[type=submit]").click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** A name no other test uses, so tests can run against one database in any order. */
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36).toUpperCase()}`;
}
