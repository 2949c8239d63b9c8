import { expect, test } from "@playwright/test";
import { readFileSync } from "fs";
import { ACCOUNTS, signIn } from "./helpers";

/** `12,345.67` as hundredths, exactly. */
function hundredths(text: string): number {
  const [whole, fraction = "0"] = text.replace(/,/g, "").trim().split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

test("the bureau opens the dashboard, filters to a district, follows a figure to its carriers and downloads the XLSX", async ({
  page,
}) => {
  await signIn(page, ACCOUNTS.bureau);
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "数据看板" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("孵化载体数据看板");
  await expect(page.getByTestId("dashboard-scope")).toHaveText("全市");
  // The founding plan, against the city's area.
  const plan = page.getByTestId("target-card").filter({ hasText: "孵化载体面积倍增计划" });
  await expect(plan).toBeVisible();
  await expect(plan.getByTestId("target-achieved")).toContainText("%");
  await expect(page.getByRole("img", { name: "月度孵化面积" })).toBeVisible();

  // One district.
  await page.locator("#district").selectOption({ label: "兰山区" });
  await page.getByRole("button", { name: "查看" }).click();
  await expect(page).toHaveURL(/district=\d+/);
  await expect(page.getByTestId("dashboard-scope")).toHaveText("兰山区");
  const districts = page.getByTestId("table-districts");
  const row = districts.getByRole("row").filter({ has: page.getByRole("link", { name: "兰山区", exact: true }) });
  const areaLink = row.getByRole("cell").nth(2).getByRole("link");
  const area = hundredths(await areaLink.innerText());
  expect(area).toBeGreaterThan(0);

  // The XLSX of that table.
  const download = page.waitForEvent("download");
  await page.getByTestId("xlsx-districts").click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^fuhua-districts-district-\d+-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const bytes = readFileSync(await file.path());
  expect(bytes.subarray(0, 2).toString()).toBe("PK");

  // The figure leads to the carriers behind it, whose own areas add up to it.
  await areaLink.click();
  await expect(page).toHaveURL(/\/carriers\?district=\d+/);
  await expect(page.locator(".pager")).toHaveCount(0);
  const cells = page.getByTestId("carrier-gross");
  await expect(cells.first()).toBeVisible();
  const figures = await cells.allInnerTexts();
  expect(figures.map(hundredths).reduce((a, b) => a + b, 0)).toBe(area);
});
