import { expect, Page } from "@playwright/test";

/** Opens `path` and waits until the WebAssembly has hydrated the page. */
export async function openHydrated(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
}

/** A name no other test uses, so tests can run against one database in any order. */
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36).toUpperCase()}`;
}
