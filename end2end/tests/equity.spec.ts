import { expect, Page, test } from "@playwright/test";
import { readFileSync } from "fs";
import { ACCOUNTS, signIn, uniqueName } from "./helpers";

// The demo operator's landlord-plus-shareholder carrier, and the demo startup that rents from it
// and in which it holds 10 % from the company's formation.
const CARRIER = "临沂高新区科技创业园";
const STARTUP = "临沂智云科技有限公司";

async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
}

/** The cap table row of `holder`. */
function holderRow(page: Page, holder: string) {
  return page.getByTestId("cap-table").getByRole("row").filter({ has: page.getByRole("rowheader", { name: holder, exact: true }) });
}

test("an operator records a round in which the carrier follows on; the cap table, the portfolio and the OCF download reflect it", async ({
  page,
}) => {
  const investor = uniqueName("沂蒙资本");
  await signIn(page, ACCOUNTS.operator);
  await page.getByRole("link", { name: "我的载体" }).click();
  await page.getByRole("link", { name: CARRIER }).click();
  const carrierPath = new URL(page.url()).pathname;
  await page.getByRole("link", { name: "在孵企业" }).click();
  await page.getByRole("link", { name: STARTUP }).click();
  await page.getByRole("link", { name: "股权结构" }).click();
  await expect(page.getByRole("heading", { name: /股权结构/ })).toBeVisible();
  await expect(holderRow(page, CARRIER)).toContainText("10.0000%");
  await expect(page.getByTestId("registered-capital")).toHaveText("¥1,000,000.00");

  // A Series A: 2,500,000 at a 10,000,000 pre-money valuation. The carrier takes up its pro rata
  // (10 % of the money) and a new investor the rest.
  await page.getByRole("link", { name: "登记增资" }).click();
  await expect(page.getByRole("heading", { name: "登记增资" })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("轮次").selectOption({ label: "A 轮" });
  await page.getByLabel("投前估值").fill("10,000,000");
  await page.getByLabel(CARRIER).fill("250000");
  await page.getByLabel("新股东 1 名称").fill(investor);
  await page.getByTestId(/row-\d+-kind/).first().selectOption({ label: "投资方" });
  // First without the investor's amount: the row says what is missing, nothing is recorded.
  await page.getByRole("button", { name: "登记", exact: true }).click();
  await expect(page.locator(".field-error").first()).toBeVisible();
  await page.getByLabel("新股东 1 金额（元）").fill("2250000");
  await page.getByRole("button", { name: "登记", exact: true }).click();

  // The round's page: the arithmetic, and the carrier kept its share.
  await expect(page).toHaveURL(/\/equity\/rounds\/\d+$/);
  await expect(page.getByTestId("round-post-money")).toHaveText("¥12,500,000.00");
  await expect(page.getByTestId("round-new-capital")).toHaveText("¥250,000.00");
  const carrierRow = page.getByTestId("round-holders").locator(`tr[data-holder="${CARRIER}"]`);
  await expect(carrierRow).toContainText("¥250,000.00");
  await expect(carrierRow.getByTestId("kept-share")).toHaveText("是");
  await expect(page.getByTestId("round-holders").locator('tr[data-holder="王敏"]').getByTestId("kept-share")).toHaveText("否");

  // The startup's cap table on the day.
  await page.getByRole("link", { name: STARTUP }).click();
  await expect(holderRow(page, investor)).toContainText("18.0000%");
  await expect(holderRow(page, CARRIER)).toContainText("10.0000%");
  await expect(holderRow(page, "王敏")).toContainText("56.0000%");
  await expect(page.getByTestId("capital-reserve")).toHaveText("¥2,250,000.00");

  // The OCF download names the new investor.
  const download = page.waitForEvent("download");
  await page.getByTestId("ocf-download").click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^ocf-startup-\d+-\d{4}-\d{2}-\d{2}\.zip$/);
  const path = await file.path();
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  expect(bytes.toString("utf8")).toContain("Manifest.ocf.json");
  expect(bytes.toString("utf8")).toContain(investor);

  // The carrier's portfolio: the follow-on, the initial investment and the value at the round.
  await page.goto(`${carrierPath}/portfolio`);
  const holding = page.getByTestId("portfolio").locator(`tr[data-startup="${STARTUP}"]`);
  await expect(holding.getByTestId("follow-on")).toHaveText("¥250,000.00");
  await expect(holding).toContainText("¥100,000.00");
  await expect(holding).toContainText("¥1,250,000.00");
  await expect(holding).toContainText("A 轮");
});
