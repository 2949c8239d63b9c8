import { expect, test } from "@playwright/test";
import { ACCOUNTS, openHydrated, signIn } from "./helpers";

// The demo operator runs 沂蒙云谷众创空间, which starts without any space.
const CARRIER = "沂蒙云谷众创空间";

test("an operator builds a small site, sees the totals and the floor view, and imports a CSV with an error", async ({
  page,
}) => {
  await signIn(page, ACCOUNTS.operator);
  await page.getByRole("link", { name: "我的载体" }).click();
  await page.getByRole("link", { name: CARRIER }).click();
  await page.getByRole("link", { name: "空间与面积" }).click();
  await expect(page.getByRole("heading", { name: "空间与面积" })).toBeVisible();
  await expect(page.locator("body[data-hydrated]")).toBeAttached();

  // A site, a building, two floors.
  await page.getByLabel("场地名称").fill("云谷一期");
  await page.getByLabel("地址").fill("兰山区通达路与蒙山大道交汇处");
  await page.getByRole("button", { name: "添加" }).last().click();
  await expect(page.getByRole("heading", { name: /云谷一期/ })).toBeVisible();
  await page.getByLabel("新增楼栋").fill("A座");
  await page.getByLabel("新增楼栋").press("Enter");
  await expect(page.getByRole("heading", { name: "A座" })).toBeVisible();
  await page.getByLabel("新增楼层").fill("1F");
  await page.getByLabel("新增楼层").press("Enter");
  await expect(page.getByRole("link", { name: "1F" })).toBeVisible();
  await page.getByLabel("新增楼层").fill("2F");
  await page.getByLabel("新增楼层").press("Enter");
  await expect(page.getByRole("link", { name: "2F" })).toBeVisible();

  // Units on the first floor.
  await page.getByRole("link", { name: "1F" }).click();
  await expect(page.getByRole("heading", { name: "云谷一期 · A座 · 1F" })).toBeVisible();
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
  await expect(page.getByText("该楼层尚无单元。")).toBeVisible();
  const addUnit = async (code: string, kind: string, gross: string, usable: string, use: string, desks = "") => {
    await page.getByLabel("单元编号").fill(code);
    await page.getByLabel("单元类型").selectOption({ label: kind });
    await page.getByLabel("用途").selectOption({ label: use });
    await page.getByLabel("建筑面积（㎡）").fill(gross);
    await page.getByLabel("使用/计租面积（㎡）").fill(usable);
    await page.getByLabel("工位数").fill(desks);
    await page.getByRole("button", { name: "添加单元" }).click();
    await expect(page.locator(".unit-tile", { hasText: code })).toBeVisible();
  };
  await addUnit("101", "独立办公室", "80.50", "72", "在孵企业使用");
  await addUnit("102", "开放工位区", "120", "110.25", "在孵企业使用", "24");
  await expect(page.getByTestId("floor-totals")).toHaveText("2 个在用单元，建筑面积 200.50 平方米，工位 24 个");
  await expect(page.locator(".unit-tile.status-vacant")).toHaveCount(2);

  // A unit with a mistake is refused next to the field.
  await page.getByLabel("单元编号").fill("103");
  await page.getByLabel("单元类型").selectOption({ label: "会议室" });
  await page.getByLabel("用途").selectOption({ label: "公共服务" });
  await page.getByLabel("建筑面积（㎡）").fill("30");
  await page.getByLabel("使用/计租面积（㎡）").fill("31");
  await page.getByRole("button", { name: "添加单元" }).click();
  await expect(page.locator("#usable_area-problems")).toHaveText("使用面积不能大于建筑面积。");

  // Take one out of service: the floor view shows it.
  await page.locator(".unit-tile", { hasText: "101" }).getByRole("link", { name: "变更" }).click();
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
  await page.getByLabel("变更", { exact: true }).selectOption({ label: "暂停使用" });
  await page.getByLabel("原因").fill("装修");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toContainText("变更已保存");
  await page.goBack();
  await page.reload();
  await expect(page.locator(".unit-tile.status-out_of_service", { hasText: "101" })).toBeVisible();

  // The second floor gets a public-service area.
  await page.goto(page.url().replace(/\/floors\/(\d+)$/, (_, id) => `/floors/${Number(id) + 1}`));
  await expect(page.getByRole("heading", { name: "云谷一期 · A座 · 2F" })).toBeVisible();
  await expect(page.locator("body[data-hydrated]")).toBeAttached();
  await addUnit("201", "公共服务区", "40", "40", "公共服务");

  // The carrier's totals add it all up.
  await page.getByRole("link", { name: CARRIER }).click();
  await expect(page.getByTestId("total-gross")).toHaveText("160.00 平方米");
  await expect(page.getByTestId("units-desks")).toHaveText("2 / 24");
  await expect(page.getByTestId("tenant-share")).toHaveText("100.00%");
  await expect(page.getByTestId("by-category")).toContainText("80.50 平方米");
  await expect(page.getByTestId("history")).toContainText("暂停使用");

  // An import with a wrong row is refused whole, with a report by row and column.
  await page.getByRole("link", { name: "批量导入" }).click();
  const csv = [
    "site,building,floor,unit,kind,gross_area_m2,usable_area_m2,use,desks,list_rent_yuan,rent_basis,status",
    "云谷一期,A座,3F,301,private_office,60,55,tenant,,45,per_m2,",
    "云谷一期,A座,3F,302,private_office,sixty,55,tenant,,45,per_m2,",
  ].join("\n");
  await page.locator("#import-file").setInputFiles({ name: "units.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "导入" }).click();
  await expect(page.getByTestId("import-failed")).toContainText("未导入任何数据");
  const problem = page.getByTestId("import-problems").locator("tbody tr");
  await expect(problem).toHaveCount(1);
  await expect(problem.locator("td").nth(0)).toHaveText("3");
  await expect(problem.locator("td").nth(1)).toHaveText("gross_area_m2");
  await expect(problem.locator("td").nth(2)).toHaveText("请填写整数。");

  // Nothing from the file was added.
  await page.getByRole("link", { name: "空间与面积" }).click();
  await expect(page.getByTestId("total-gross")).toHaveText("160.00 平方米");
});
