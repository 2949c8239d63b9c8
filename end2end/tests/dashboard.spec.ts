import { expect, test } from "@playwright/test";
import { readFileSync } from "fs";
import { ACCOUNTS, openHydrated, signIn } from "./helpers";

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
  // Every headline figure fits its card, unit and all, on one line.
  const overflowing = await page.locator(".stat-value").evaluateAll((values) =>
    values
      .filter((v) => v.scrollWidth > v.clientWidth + 1 || v.getBoundingClientRect().right > v.parentElement!.getBoundingClientRect().right)
      .map((v) => v.textContent),
  );
  expect(overflowing).toEqual([]);

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

test("the bureau edits a target, sees the trend's verdict with the growth it needs, and a closed target's outcome", async ({
  page,
}) => {
  await signIn(page, ACCOUNTS.bureau);
  await openHydrated(page, "/dashboard/targets");
  const name = `编辑测试目标${Date.now()}`;
  await page.getByLabel("目标名称").fill(name);
  await page.getByLabel("英文名称").fill("Edit test target");
  await page.getByLabel("目标面积（㎡）").fill("100000000");
  await page.getByLabel("基准日").fill("2025-01-01");
  await page.getByLabel("截止日").fill("2027-12-31");
  await page.getByRole("button", { name: "新增目标" }).click();
  const row = page.getByTestId("targets").getByRole("row").filter({ hasText: name });
  await expect(row).toBeVisible();

  // A hundred million m² by 2027 is out of the trend's reach: the card says so, and what it needs.
  await page.goto("/dashboard");
  const card = page.getByTestId("target-card").filter({ hasText: name });
  await expect(card.getByTestId("target-verdict")).toContainText("按当前趋势十年内无法达成");
  await expect(card.getByTestId("target-needed")).toContainText("截止日前达成需每月新增");
  await expect(card.getByTestId("target-needed")).toContainText("万平方米");

  // Edited into a target that closed at the end of 2020: now history, with its outcome.
  await openHydrated(page, "/dashboard/targets");
  await row.getByRole("link", { name: "修改" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("修改面积目标");
  await expect(page.getByLabel("目标面积（㎡）")).toHaveValue("100000000.00");
  await page.getByLabel("基准日").fill("2019-01-01");
  await page.getByLabel("截止日").fill("2020-12-31");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page).toHaveURL(/\/dashboard\/targets$/);
  await expect(row.getByRole("cell").nth(3)).toHaveText("2020-12-31");
  await page.goto("/dashboard");
  const closed = page.getByTestId("target-card").filter({ hasText: name });
  await expect(closed.getByTestId("target-closed")).toHaveText("已结束");
  await expect(closed.getByTestId("target-verdict")).toContainText("截止时未达成");
  // The targets still open come first.
  const first = page.getByTestId("target-card").first();
  await expect(first.getByTestId("target-closed")).toHaveCount(0);

  // In English, months and outcomes read in English.
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.getByTestId("target-card").filter({ hasText: "Edit test target" }).getByTestId("target-verdict")).toContainText(
    "Not reached by the deadline",
  );
});
