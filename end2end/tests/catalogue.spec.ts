import { expect, Page, test } from "@playwright/test";
import { ACCOUNTS, signIn } from "./helpers";

async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
}

test("a visitor finds the publicly listed space and filters it", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "找空间" }).click();
  await expect(page.getByRole("heading", { name: "找空间", level: 1 })).toBeVisible();
  await hydrated(page);
  const entries = page.getByTestId("catalogue-entry");
  // The list arrives after the navigation: wait for it before counting.
  await expect(page.getByTestId("catalogue-count")).toContainText("个载体有空置空间");
  await expect(entries.first()).toBeVisible();
  const listed = await entries.count();
  expect(listed).toBeGreaterThan(3);
  // Every card says how much is vacant, in the reader's units, and how to apply.
  await expect(entries.first().getByTestId("vacant-area")).toContainText("平方米");
  await expect(entries.first().getByRole("link", { name: "注册企业账户后申请" })).toBeVisible();
  await expect(entries.first().locator("tbody tr").first()).toContainText(/[AB]座 \dF·\d{3}/);

  // A filter by vacant area keeps only the carriers with at least that much.
  await page.getByLabel("空置面积不少于（m²）").fill("100000");
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(/min_area=100000/);
  await expect(page.getByText("没有符合条件的载体")).toBeVisible();
  await expect(entries).toHaveCount(0);

  // In English, the same page.
  await page.goto("/space");
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Find space", level: 1 })).toBeVisible();
  await expect(entries.first().getByTestId("vacant-area")).toContainText("m²");
  await page.getByRole("link", { name: "中文" }).click();
});

test("a startup applies for a unit it found in the catalogue", async ({ page }) => {
  await signIn(page, ACCOUNTS.startup);
  await page.getByTestId("main-nav").getByRole("link", { name: "找空间" }).click();
  await hydrated(page);
  // Signed in, it sees every carrier with vacant space, more than visitors do.
  const entry = page.getByTestId("catalogue-entry").first();
  const carrier = (await entry.getByRole("heading", { level: 2 }).textContent())!.trim();
  const unit = (await entry.locator("tbody tr th").first().textContent())!.trim();
  await entry.getByTestId("apply-unit").first().click();
  await expect(page.getByRole("heading", { name: "申请入驻" })).toBeVisible();
  await hydrated(page);
  // The form opens on that carrier, asking for that unit; the date rule is stated up front.
  await expect(page.locator("#field-carrier_id option:checked")).toContainText(carrier);
  await expect(page.getByLabel("项目简介")).toHaveValue(`意向单元：${unit}。`);
  await expect(page.getByText("不早于今天，最晚为两年后。")).toBeVisible();
  await page.getByLabel("项目简介").fill(`意向单元：${unit}。智能传感器团队，已完成样机，申请办公面积用于研发。`);
  await page.getByRole("button", { name: "提交申请" }).click();
  await expect(page.getByTestId("application-state")).toHaveText("已提交");
  await expect(page.getByText(carrier).first()).toBeVisible();
});

test("an operator describes its carrier and lists it publicly; visitors then find it", async ({ page, browser }) => {
  await signIn(page, ACCOUNTS.operator);
  await page.goto("/carriers");
  await page.getByRole("link", { name: "临沂高新区科技创业园" }).click();
  await hydrated(page);
  const listing = page.locator("#listing");
  await listing.getByLabel("载体介绍").fill("高新区创业园：独立办公室拎包入驻，每周五创业沙龙。");
  await listing.getByLabel(/向未登录的访客公开展示本载体/).check();
  await listing.getByRole("button", { name: "保存介绍" }).click();
  await expect(listing.getByText("本载体在“找空间”中对未登录的访客公开展示。")).toBeVisible();
  // The trail says it in a sentence, in the reader's language.
  await page.goto("/audit");
  const said = page.getByTestId("audit-sentence").filter({ hasText: "修改了找空间介绍" }).first();
  await expect(said).toContainText("运营方 李强 修改了找空间介绍：载体「临沂高新区科技创业园」");
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.getByTestId("audit-sentence").filter({ hasText: "catalogue entry" }).first()).toContainText(
    "运营方 李强 changed the catalogue entry of: Carrier “临沂高新区科技创业园”",
  );
  await page.getByRole("link", { name: "中文" }).click();

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/space");
  await expect(visitor.locator("body[data-hydrated]")).toBeAttached();
  await visitor.getByLabel("所在区县").selectOption({ label: "临沂高新区" });
  await visitor.getByRole("button", { name: "筛选" }).click();
  await expect(visitor).toHaveURL(/district=/);
  const card = visitor.getByTestId("catalogue-entry").filter({ hasText: "临沂高新区科技创业园" });
  await expect(card).toContainText("每周五创业沙龙");
});

test("an operator's home lists what waits, each item leading to where it is done", async ({ page }) => {
  await signIn(page, ACCOUNTS.operator);
  await expect(page.getByRole("heading", { name: "今日待办" })).toBeVisible();
  await hydrated(page);
  const card = page.getByTestId("work-card").filter({ hasText: "临沂高新区科技创业园" });
  await expect(card.getByTestId("vacancy")).toContainText(/空置 \d+ \/ \d+ 个单元/);
  // Every section says how many and links to the whole list.
  for (const section of ["waiting", "starting", "ending", "near-limit", "failing", "returns"]) {
    await expect(card.getByTestId(section).locator(".count")).toHaveText(/^\d+$/);
  }
  // In English, the same list.
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "To do" })).toBeVisible();
  await expect(card.getByTestId("vacancy")).toContainText(/Vacant: \d+ of \d+ units/);
  await expect(card.getByTestId("waiting")).toContainText("Applications waiting");
  await page.getByRole("link", { name: "中文" }).click();
  await card.getByTestId("waiting").getByRole("link", { name: "全部申请" }).click();
  await expect(page.getByRole("heading", { name: "入驻申请" })).toBeVisible();
});
